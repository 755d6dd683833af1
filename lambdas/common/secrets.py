"""The backend API key, read from Secrets Manager at run time and cached (SEC-2).

The environment holds only the secret's ARN. The value is read on first use and reused for
`ttl_seconds`; it is never logged. Reading it counts against the dip's deadline: the read runs in a
worker thread and the dip waits at most `deadline.remaining()` for it. A read that finishes late
still fills the cache for the next invocation. When a refresh fails, the last value read is served
(the key changes rarely; a dip that can still call the backend beats one that cannot).

Two ways to read it (`secret_fetch` picks):
- the AWS Parameters and Secrets Lambda Extension, when the function has its layer (the stack then
  sets PARAMETERS_SECRETS_EXTENSION_HTTP_PORT): one GET on localhost with the standard library, no
  AWS SDK imported, which is what keeps a cold container's first answer short. The extension
  answers only during an invocation, not while the container initializes.
- botocore, otherwise, and whenever the extension fails: imported on first use, not at import
  time (~90 ms of cold start that a dip answering from the circuit breaker or rejecting input never
  pays); boto3 is not used at all. botocore honors AWS_ENDPOINT_URL, which points tests and the
  local simulator at moto.
"""
from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from lambdas.common.deadline import freeze_long_lived_objects

STALE_WAIT_SECONDS = 0.1
EXTENSION_PORT_ENV = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"  # the extension's own setting (default 2773)
EXTENSION_TOKEN_HEADER = "X-Aws-Parameters-Secrets-Token"  # must carry the function's AWS_SESSION_TOKEN
EXTENSION_TIMEOUT_SECONDS = 1.0  # per socket operation; the dip's wait is bounded by its deadline anyway


class ApiKeyUnavailable(Exception):
    """The key could not be read within the deadline; `kind` is TIMEOUT or ERROR."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def secrets_manager_fetch(secret_id: str, *, secretsmanager: Any = None) -> Callable[[], str]:
    """A function that reads the secret's current string value with botocore (one attempt per call).

    `secretsmanager`: a client the function already has (one from boto3's session reuses the service
    data that session loaded: a fraction of a new session's cost); by default one is made on first use."""
    client: list[Any] = [secretsmanager] if secretsmanager is not None else []

    def fetch() -> str:
        if not client:
            import botocore.session
            from botocore.config import Config

            session = botocore.session.get_session()
            config = Config(connect_timeout=2, read_timeout=3, retries={"total_max_attempts": 1})
            client.append(session.create_client("secretsmanager", config=config))
        value = _secret_string(client[0].get_secret_value(SecretId=secret_id).get("SecretString"))
        freeze_long_lived_objects()  # the client, its endpoint and credentials are built by now
        return value

    return fetch


def extension_fetch(secret_id: str, port: int, *, host: str = "localhost",
                    environ: Mapping[str, str] = os.environ) -> Callable[[], str]:
    """A function that reads the secret's current string value from the Parameters and Secrets
    extension's local endpoint (the stack turns the extension's own cache off: this module caches)."""
    path = "/secretsmanager/get?secretId=" + urllib.parse.quote(secret_id, safe="")

    def fetch() -> str:
        connection = http.client.HTTPConnection(host, port, timeout=EXTENSION_TIMEOUT_SECONDS)
        try:
            connection.request("GET", path, headers={EXTENSION_TOKEN_HEADER: environ.get("AWS_SESSION_TOKEN", "")})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise ValueError(f"the extension answered HTTP {response.status}")  # never the body: it could quote the value
        return _secret_string(json.loads(body).get("SecretString"))

    return fetch


def secret_fetch(secret_id: str, environ: Mapping[str, str] = os.environ) -> Callable[[], str]:
    """How this function reads the secret: through the extension when it has it (botocore when the
    extension fails), else through botocore alone."""
    direct = secrets_manager_fetch(secret_id)
    port = environ.get(EXTENSION_PORT_ENV, "")
    if not port.isdigit():
        return direct
    via_extension = extension_fetch(secret_id, int(port), environ=environ)

    def fetch() -> str:
        try:
            value = via_extension()
        except Exception:  # not running, hung, refused the token: Secrets Manager itself is the source of truth
            return direct()
        freeze_long_lived_objects()
        return value

    return fetch


def _secret_string(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("the secret has no string value")
    return value.strip()


class ApiKeyCache:
    def __init__(self, fetch: Callable[[], str], ttl_seconds: float = 300.0, *, clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._ttl = ttl_seconds
        self._clock = clock
        self._value: str | None = None
        self._read_at = 0.0
        self._error: str = ""
        self._in_flight: threading.Thread | None = None

    def get(self, deadline: Any, *, fetch: Callable[[], str] | None = None) -> str:
        """The key; ApiKeyUnavailable when none could be read before the deadline. `fetch`, when
        given, reads it this time instead of the cache's own way."""
        if self._value is not None and self._clock() - self._read_at < self._ttl:
            return self._value
        worker = self._in_flight
        if worker is None or not worker.is_alive():
            worker = self._in_flight = threading.Thread(target=self._refresh, args=(fetch or self._fetch,), name="api-key-read", daemon=True)
            worker.start()
        # With a stale value in hand, wait only briefly for the new one: the stale key likely still works.
        wait = deadline.remaining() if self._value is None else min(deadline.remaining(), STALE_WAIT_SECONDS)
        worker.join(wait)
        if not worker.is_alive():
            self._in_flight = None
        if self._value is not None:
            return self._value  # fresh, or the last known value when the refresh failed or is late
        if worker.is_alive():
            raise ApiKeyUnavailable("TIMEOUT", "Secrets Manager did not answer within the deadline")
        raise ApiKeyUnavailable("ERROR", self._error)

    def _refresh(self, fetch: Callable[[], str]) -> None:
        try:
            value = fetch()
        except Exception as problem:  # any failure of the read is reported as ApiKeyUnavailable
            self._error = type(problem).__name__  # the class only: a message could quote the value
            return
        self._value, self._read_at, self._error = value, self._clock(), ""
