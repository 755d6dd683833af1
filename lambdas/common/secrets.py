"""The backend API key, read from Secrets Manager at run time and cached (SEC-2).

The environment holds only the secret's ARN. The value is read on first use and reused for
`ttl_seconds`; it is never logged. Reading it counts against the dip's deadline: the read runs in a
worker thread and the dip waits at most `deadline.remaining()` for it. A read that finishes late
still fills the cache for the next invocation. When a refresh fails, the last value read is served
(the key changes rarely; a dip that can still call the backend beats one that cannot).

botocore is imported on first use, not at import time (~90 ms of cold start that a dip answering
from the circuit breaker or rejecting input never pays); boto3 is not used at all. botocore honors
AWS_ENDPOINT_URL, which points tests and the local simulator at moto.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from lambdas.common.deadline import freeze_long_lived_objects

STALE_WAIT_SECONDS = 0.1


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
        value = client[0].get_secret_value(SecretId=secret_id).get("SecretString")
        if not isinstance(value, str) or not value:
            raise ValueError("the secret has no string value")
        freeze_long_lived_objects()  # the client, its endpoint and credentials are built by now
        return value.strip()

    return fetch


class ApiKeyCache:
    def __init__(self, fetch: Callable[[], str], ttl_seconds: float = 300.0, *, clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self._ttl = ttl_seconds
        self._clock = clock
        self._value: str | None = None
        self._read_at = 0.0
        self._error: str = ""
        self._in_flight: threading.Thread | None = None

    def get(self, deadline: Any) -> str:
        """The key; ApiKeyUnavailable when none could be read before the deadline."""
        if self._value is not None and self._clock() - self._read_at < self._ttl:
            return self._value
        worker = self._in_flight
        if worker is None or not worker.is_alive():
            worker = self._in_flight = threading.Thread(target=self._refresh, name="api-key-read", daemon=True)
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

    def _refresh(self) -> None:
        try:
            value = self._fetch()
        except Exception as problem:  # any failure of the read is reported as ApiKeyUnavailable
            self._error = type(problem).__name__  # the class only: a message could quote the value
            return
        self._value, self._read_at, self._error = value, self._clock(), ""
