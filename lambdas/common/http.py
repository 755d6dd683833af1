"""The data dips' client for the customer backend: one deadline for everything (DD-5).

`BackendClient.call` reads the API key, connects, reads the WHOLE body and retries, and never
runs past `deadline`:

- each attempt gets `urllib3.Timeout(total=remaining)` for connect + response headers, then the
  body is read in chunks with the socket timeout cut to what is left and the size capped, so a
  backend trickling one byte at a time cannot hold the caller;
- urllib3's own retries are off (`retries=False`); this loop retries only timeouts, connection
  errors, 429 and 5xx, with exponential backoff and full jitter, or the backend's Retry-After
  when it fits; a wait that would not leave time for another attempt means giving up now;
- a per-container CircuitBreaker fails calls fast while the backend is down.

Every attempt is counted (BackendCalls, BackendLatency, BackendError<kind>) in the dip's metrics.
"""
from __future__ import annotations

import json
import random
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import urllib3
from aws_lambda_powertools.metrics import MetricUnit

from lambdas.common.circuit import CircuitBreaker
from lambdas.common.dip_environment import BackendSettings
from lambdas.common.observability import MetricName, logger, metrics
from lambdas.common.secrets import ApiKeyCache, ApiKeyUnavailable, secret_fetch, secrets_manager_fetch

MAX_BODY_BYTES = 64 * 1024  # the contract's answers are a few hundred bytes
CHUNK_BYTES = 8 * 1024
MIN_ATTEMPT_SECONDS = 0.03  # below this an attempt cannot succeed: give up instead
BACKOFF_BASE_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 1.0

# Error kinds, as dips report them in `error_kind`.
TIMEOUT = "TIMEOUT"
CONNECTION = "CONNECTION"
THROTTLED = "THROTTLED"
HTTP_4XX = "HTTP_4XX"
HTTP_5XX = "HTTP_5XX"
MALFORMED = "MALFORMED"
CIRCUIT_OPEN = "CIRCUIT_OPEN"
API_KEY = "API_KEY"
NOT_CONFIGURED = "NOT_CONFIGURED"

_ERROR_METRIC = {
    TIMEOUT: MetricName.BACKEND_ERROR_TIMEOUT,
    CONNECTION: MetricName.BACKEND_ERROR_CONNECTION,
    THROTTLED: MetricName.BACKEND_ERROR_4XX,
    HTTP_4XX: MetricName.BACKEND_ERROR_4XX,
    HTTP_5XX: MetricName.BACKEND_ERROR_5XX,
    MALFORMED: MetricName.BACKEND_ERROR_MALFORMED,
}
_RETRYABLE = {TIMEOUT, CONNECTION, THROTTLED, HTTP_5XX}
_BACKEND_FAILURES = _RETRYABLE | {MALFORMED}  # what the circuit breaker counts


class BackendError(Exception):
    """A call that produced no usable answer. `kind` is one of the error kinds above."""

    def __init__(self, kind: str, detail: str = "", *, status: int = 0, retry_after: float | None = None, timeout: bool | None = None):
        super().__init__(f"{kind} {detail}".strip())
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        self.timeout = (kind == TIMEOUT) if timeout is None else timeout

    @property
    def retryable(self) -> bool:
        return self.kind in _RETRYABLE


@dataclass(frozen=True)
class BackendResponse:
    status: int
    data: Any  # the parsed JSON body (checked by `expect`), or None when the body was empty
    attempts: int


class BackendClient:
    def __init__(
        self,
        settings: BackendSettings,
        *,
        api_key: ApiKeyCache,
        circuit: CircuitBreaker,
        pool: urllib3.PoolManager | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ):
        self.settings = settings
        self.api_key = api_key
        self.circuit = circuit
        self._pool = pool or urllib3.PoolManager(num_pools=2, maxsize=2, retries=False)
        self._sleep = sleep
        self._rng = rng

    def call(
        self,
        method: str,
        path: str,
        deadline: Any,
        *,
        operation: str,
        query: dict[str, str] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        answers: Iterable[int] = (404,),
        expect: Callable[[int, Any], Any] | None = None,
    ) -> BackendResponse:
        """One logical call. 2xx and the statuses in `answers` are returned; everything else raises BackendError.

        `expect(status, data)` checks the parsed body and raises ValueError when it breaks the
        contract (counted as MALFORMED, like a body that is not JSON).
        """
        if not self.settings.base_url or not self.settings.api_key_secret_arn:
            raise BackendError(NOT_CONFIGURED, "backend URL or API key secret not set")
        if not self.circuit.allow():
            metrics.add_metric(name=MetricName.CIRCUIT_OPEN, unit=MetricUnit.Count, value=1)
            raise BackendError(CIRCUIT_OPEN)
        try:
            key = self.api_key.get(deadline)
        except ApiKeyUnavailable as problem:
            metrics.add_metric(name=MetricName.BACKEND_API_KEY_UNAVAILABLE, unit=MetricUnit.Count, value=1)
            logger.error("backend API key unavailable", extra={"operation": operation, "reason": str(problem)})
            raise BackendError(API_KEY, problem.kind, timeout=problem.kind == "TIMEOUT") from None
        url = self.settings.base_url + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        request_headers = {"x-api-key": key, "accept": "application/json", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body, separators=(",", ":")).encode()
            request_headers["content-type"] = "application/json"
        accepted = set(answers)
        attempt = 0
        while True:
            attempt += 1
            try:
                status, data = self._attempt(method, url, payload, request_headers, deadline, accepted, expect)
            except BackendError as error:
                metrics.add_metric(name=_ERROR_METRIC[error.kind], unit=MetricUnit.Count, value=1)
                logger.warning("backend attempt failed", extra={"operation": operation, "attempt": attempt, "error_kind": error.kind, "status": error.status})
                wait = self._wait_before_retry(error, attempt, deadline)
                if wait is None:
                    if error.kind in _BACKEND_FAILURES:
                        self.circuit.record_failure()
                    else:
                        self.circuit.record_success()  # it answered: a 4xx is not an outage
                    raise
                self._sleep(wait)
                continue
            self.circuit.record_success()
            return BackendResponse(status, data, attempt)

    def _wait_before_retry(self, error: BackendError, attempt: int, deadline: Any) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if not error.retryable or attempt >= self.settings.max_attempts:
            return None
        # The backend's Retry-After when it gave one, else exponential backoff with full jitter.
        wait = error.retry_after if error.retry_after is not None else self._rng() * min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
        if wait + MIN_ATTEMPT_SECONDS >= deadline.remaining():
            return None
        return wait

    def _attempt(self, method, url, payload, headers, deadline, accepted, expect) -> tuple[int, Any]:
        remaining = deadline.remaining()
        if remaining < MIN_ATTEMPT_SECONDS:
            raise BackendError(TIMEOUT, "no time left for an attempt")
        started = time.perf_counter()
        metrics.add_metric(name=MetricName.BACKEND_CALLS, unit=MetricUnit.Count, value=1)
        response = None
        try:
            response = self._pool.request(
                method, url, body=payload, headers=headers, timeout=urllib3.Timeout(total=remaining),
                retries=False, redirect=False, preload_content=False,
            )
            raw = _read_body(response, deadline)
        except urllib3.exceptions.NewConnectionError as problem:
            raise BackendError(CONNECTION, type(problem).__name__) from None
        except urllib3.exceptions.TimeoutError:
            raise BackendError(TIMEOUT) from None
        except (urllib3.exceptions.HTTPError, OSError) as problem:  # resets, refused, closed mid-body
            raise BackendError(CONNECTION, type(problem).__name__) from None
        finally:
            if response is not None:
                response.release_conn()
            metrics.add_metric(name=MetricName.BACKEND_LATENCY, unit=MetricUnit.Milliseconds, value=(time.perf_counter() - started) * 1000)
        status = response.status
        if status == 429 or status >= 500:
            kind = THROTTLED if status == 429 else HTTP_5XX
            raise BackendError(kind, status=status, retry_after=_retry_after(response.headers.get("retry-after")))
        if not (200 <= status < 300 or status in accepted):
            raise BackendError(HTTP_4XX if 400 <= status < 500 else MALFORMED, "unexpected status", status=status)
        try:
            data = json.loads(raw) if raw.strip() else None
            if expect is not None:
                data = expect(status, data)
        except ValueError as problem:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise BackendError(MALFORMED, type(problem).__name__, status=status) from None
        return status, data


def _read_body(response: urllib3.BaseHTTPResponse, deadline: Any) -> bytes:
    """The whole body within the deadline and MAX_BODY_BYTES; a partial body is an error, never an answer."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        response.close()
        raise BackendError(MALFORMED, "body too large", status=response.status)
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline.remaining()
        if remaining <= 0:
            response.close()  # the connection is mid-body: never reuse it
            raise BackendError(TIMEOUT, "body not complete at the deadline", status=response.status)
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(remaining)  # one socket read may not outlast the deadline
        chunk = response.read1(CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            response.close()
            raise BackendError(MALFORMED, "body too large", status=response.status)
        chunks.append(chunk)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


_client: BackendClient | None = None


def backend_client() -> BackendClient:
    """The client of this container (pool, API key cache and circuit breaker survive between invocations)."""
    global _client
    if _client is None:
        settings = BackendSettings.from_environment()
        _client = BackendClient(
            settings,
            api_key=ApiKeyCache(secret_fetch(settings.api_key_secret_arn), settings.api_key_ttl_seconds),
            circuit=CircuitBreaker(settings.circuit_failure_threshold, settings.circuit_cool_down_seconds),
        )
    return _client


def warm_up_if_provisioned(environ: Any = None) -> bool:
    """With provisioned concurrency, read the API key (botocore import included) while the container
    initializes, before any caller waits on it; an on-demand cold start would pay it either way.
    It reads through botocore: the Parameters and Secrets extension does not answer during INIT."""
    import os

    environ = os.environ if environ is None else environ
    if environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") != "provisioned-concurrency":
        return False
    client = backend_client()
    if not client.settings.api_key_secret_arn:
        return False
    try:
        client.api_key.get(_InitDeadline(), fetch=secrets_manager_fetch(client.settings.api_key_secret_arn))
    except ApiKeyUnavailable:
        return False  # the first invocation tries again, within its own deadline
    return True


class _InitDeadline:
    def remaining(self) -> float:
        return 5.0  # Lambda allows 10 s of initialization


def reset_backend_client() -> None:
    """Forget this container's client (tests and the simulator change the environment between runs)."""
    global _client
    _client = None
