"""DD-5: circuit breaker, Retry-After, backoff and the API key read, all inside the deadline."""
from __future__ import annotations

import threading
import time

import pytest

from lambdas.common.circuit import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from lambdas.common.deadline import Deadline
from lambdas.common.dip_environment import BackendSettings
from lambdas.common.http import BackendClient, BackendError, backend_client
from lambdas.common.secrets import ApiKeyCache, ApiKeyUnavailable
from lambdas.order_status.handler import lambda_handler as order_status
from tests.dips.conftest import API_KEY, KEY_READ_BUDGET_MS
from tests.lambda_events import LambdaContext, connect_event


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ask(order_id="12345678"):
    started = time.monotonic()
    answer = order_status(connect_event({"order_id": order_id}), LambdaContext())
    return answer, time.monotonic() - started


def test_the_circuit_opens_after_n_consecutive_failures_and_probes_after_the_cool_down():
    clock = Clock()
    circuit = CircuitBreaker(failure_threshold=3, cool_down_seconds=10, clock=clock)
    for _ in range(2):
        circuit.record_failure()
    circuit.record_success()  # not consecutive any more
    for _ in range(3):
        assert circuit.allow()
        circuit.record_failure()
    assert circuit.state == OPEN and not circuit.allow()
    clock.now = 10
    assert circuit.state == HALF_OPEN and circuit.allow()
    circuit.record_failure()  # the probe failed: another full cool-down
    assert circuit.state == OPEN
    clock.now = 20
    circuit.record_success()
    assert circuit.state == CLOSED


def test_a_dead_backend_trips_the_circuit_then_callers_get_error_at_once(dip_env):
    dip_env.set_fault("hang")
    for _ in range(5):  # CIRCUIT_FAILURE_THRESHOLD=5 in dip_env
        assert ask()[0]["error_kind"] == "TIMEOUT"
    seen = len(dip_env.requests)

    answer, elapsed = ask()

    assert answer["result"] == "ERROR" and answer["error_kind"] == "CIRCUIT_OPEN"
    assert len(dip_env.requests) == seen  # no call reached the backend

    dip_env.set_fault(None)
    time.sleep(1.05)  # CIRCUIT_COOL_DOWN_SECONDS=1: the next call probes
    assert ask()[0]["result"] == "FOUND"
    assert backend_client().circuit.state == CLOSED


def test_a_failed_probe_keeps_the_circuit_open(dip_env):
    dip_env.set_fault("error_500")
    for _ in range(5):
        ask()
    time.sleep(1.05)
    assert ask()[0]["error_kind"] == "HTTP_5XX"  # the probe reached the backend and failed
    assert ask()[0]["error_kind"] == "CIRCUIT_OPEN"


def test_not_found_and_bad_requests_do_not_trip_the_circuit(dip_env):
    for _ in range(8):
        assert ask("99999999")[0]["result"] == "NOT_FOUND"
    assert backend_client().circuit.state == CLOSED


@pytest.mark.parametrize("fault", ["error_503_retry_after", "throttle_429_retry_after"])
def test_a_retry_after_longer_than_the_time_left_gives_up_at_once(dip_env, monkeypatch, fault):
    monkeypatch.setenv("DIP_BUDGET_MS", "4000")
    dip_env.set_fault(fault, retry_after_s=30)

    answer, elapsed = ask()

    assert answer["result"] == "ERROR"
    assert len(dip_env.requests) == 1
    assert elapsed < 2.0  # no sleep toward a retry that cannot happen (sleeping would take the whole 4 s budget)


def test_a_retry_after_that_fits_is_honoured(dip_env, monkeypatch):
    monkeypatch.setenv("DIP_BUDGET_MS", "6000")  # room for the 1 s wait and a retry on a loaded machine
    dip_env.set_fault("error_503_retry_after", retry_after_s=1, count=1)

    answer, elapsed = ask()

    assert answer["result"] == "FOUND"
    assert len(dip_env.requests) == 2 and 1.0 <= elapsed < 6.0 + 1.0  # waited the Retry-After, within the budget


def test_backoff_uses_full_jitter_and_never_sleeps_past_the_deadline(dip_env):
    sleeps = []
    settings = BackendSettings(base_url=dip_env.url, api_key_secret_arn="arn", max_attempts=10)
    client = BackendClient(settings, api_key=ApiKeyCache(lambda: API_KEY), circuit=CircuitBreaker(100), sleep=sleeps.append, rng=lambda: 1.0)
    dip_env.set_fault("error_500")

    # The deadline's clock moves by the recorded sleeps only, so the sequence does not depend on how
    # fast a loaded machine answers the requests themselves.
    deadline = Deadline(2.5, clock=lambda: sum(sleeps))

    with pytest.raises(BackendError) as failure:
        client.call("GET", "/orders/12345678", deadline, operation="test")

    assert failure.value.kind == "HTTP_5XX"
    # rng()=1: the top of each jitter window. After 1.55 s of sleeps, 0.95 s is left: the next wait
    # (the 1 s cap) would not leave time for another attempt, so it gives up instead of sleeping.
    assert sleeps == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.8])
    assert len(dip_env.requests) == 6


def test_the_api_key_is_read_once_then_cached():
    reads = []
    cache = ApiKeyCache(lambda: reads.append(1) or "k1", ttl_seconds=300)
    assert [cache.get(Deadline(1)) for _ in range(5)] == ["k1"] * 5
    assert len(reads) == 1


def test_a_slow_secrets_manager_costs_at_most_the_deadline_and_fills_the_cache_later():
    release = threading.Event()
    cache = ApiKeyCache(lambda: release.wait(5) and "k1")
    started = time.monotonic()
    with pytest.raises(ApiKeyUnavailable) as failure:
        cache.get(Deadline(0.2))
    assert failure.value.kind == "TIMEOUT" and time.monotonic() - started < 2.0  # the read would take 5 s
    release.set()
    assert cache.get(Deadline(10)) == "k1"  # the late read finishes at once now; a loaded machine may be slow to run it


def test_an_expired_key_that_cannot_be_refreshed_is_still_served():
    clock = Clock()
    values = iter(["k1"])
    cache = ApiKeyCache(lambda: next(values), ttl_seconds=60, clock=clock)
    assert cache.get(Deadline(1)) == "k1"
    clock.now = 120  # expired; the next read raises StopIteration
    assert cache.get(Deadline(1)) == "k1"


def test_a_missing_secret_is_an_error_answer_not_a_crash(cold_dip_env, monkeypatch):
    monkeypatch.setenv("BACKEND_API_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:missing-AbCdEf")
    # The read's own budget: Secrets Manager must answer "no such secret", not run out of time.
    monkeypatch.setenv("DIP_BUDGET_MS", str(KEY_READ_BUDGET_MS))

    answer, elapsed = ask()

    assert answer["result"] == "ERROR" and answer["error_kind"] == "API_KEY" and answer["timeout"] == "false"
    assert cold_dip_env.requests == []


def test_a_wrong_api_key_is_a_4xx_error_and_not_retried(cold_dip_env, moto_endpoint, monkeypatch):
    import boto3

    boto3.client("secretsmanager", endpoint_url=moto_endpoint).put_secret_value(SecretId="connect-ivr/backend-api-key", SecretString="wrong")
    monkeypatch.setenv("DIP_BUDGET_MS", str(KEY_READ_BUDGET_MS))  # the key read is not what this test times

    answer, _ = ask()

    assert answer["error_kind"] == "HTTP_4XX" and len(cold_dip_env.requests) == 1


@pytest.mark.parametrize(("header", "expected"), [
    ("3", 3.0), (" 0 ", 0.0), (None, None), ("", None), ("soon", None), ("-1", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: retry now
])
def test_retry_after_is_read_as_seconds_or_an_http_date(header, expected):
    from lambdas.common.http import _retry_after

    assert _retry_after(header) == expected


def test_a_provisioned_container_reads_the_api_key_before_its_first_caller(cold_dip_env, monkeypatch):
    from lambdas.common.http import warm_up_if_provisioned

    assert not warm_up_if_provisioned({})  # on demand: nothing to gain, nothing done
    assert warm_up_if_provisioned({"AWS_LAMBDA_INITIALIZATION_TYPE": "provisioned-concurrency"})
    monkeypatch.setattr(backend_client().api_key, "_fetch", lambda: pytest.fail("read again"))
    assert ask()[0]["result"] == "FOUND"


def test_lambdas_own_remaining_time_cuts_the_budget_short(dip_env, monkeypatch):
    monkeypatch.setenv("DIP_BUDGET_MS", "5000")
    dip_env.set_fault("hang")
    started = time.monotonic()

    answer = order_status(connect_event({"order_id": "12345678"}), LambdaContext(remaining_ms=1200))

    assert answer["error_kind"] == "TIMEOUT"
    # 1200 ms left minus the 200 ms margin: ~1 s, not the 5 s budget (and before Lambda's own timeout)
    assert time.monotonic() - started < 2.5


class _Remaining:
    def __init__(self, value):
        self.value = value

    def get_remaining_time_in_millis(self):
        return self.value


@pytest.mark.parametrize(("budget_ms", "context", "seconds"), [
    (5000, _Remaining(1200), 1.0),  # Lambda's remaining time minus the 200 ms margin
    (700, _Remaining(30_000), 0.7),  # the budget, when Lambda has more time left
    (700, None, 0.7),  # no context: the budget
    (700, _Remaining("soon"), 0.7),  # an unreadable remaining time: the budget
    (5000, _Remaining(150), 0.0),  # less than the margin left: already expired
])
def test_the_invocation_deadline_is_the_budget_cut_to_lambdas_time_left_minus_the_margin(budget_ms, context, seconds):
    clock = Clock()
    clock.now = 100.0

    deadline = Deadline.for_invocation(budget_ms, context, clock=clock)

    assert deadline.remaining() == pytest.approx(seconds)
    assert deadline.expired == (seconds == 0.0)
    clock.now += 0.25
    assert deadline.remaining() == pytest.approx(max(0.0, seconds - 0.25))
    assert deadline.elapsed_ms() == pytest.approx(250.0)
