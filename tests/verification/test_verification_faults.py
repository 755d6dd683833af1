"""DD-5 for the caller verification dip: whatever the backend, the table or the key do, it answers
UNAVAILABLE (never a pass, never an exception) within its deadline."""
from __future__ import annotations

import time

import boto3
import pytest

from lambdas.caller_verification.handler import container_verifier, lambda_handler
from lambdas.common.deadline import Deadline
from lambdas.common.http import backend_client
from tests.dips.test_backend_faults import FAULTS, LATENCY_FAULT_MS, MARGIN_S
from tests.lambda_events import LambdaContext, connect_event
from tests.sms.conftest import sent_sms
from tests.verification.conftest import TABLE, codes_sent, keyed_encrypted

BUDGET_MS = 2000
LEE = "+16175550199"  # no mobile on file, a PIN


def timed(parameters: dict, **event) -> tuple[dict[str, str], float]:
    started = time.monotonic()
    answer = lambda_handler(connect_event(parameters, **event), LambdaContext())
    return answer, time.monotonic() - started


@pytest.fixture
def small_budget(verification_env):
    verification_env(DIP_BUDGET_MS=str(BUDGET_MS))
    # A warm container: importing boto3, making the clients, botocore reading the API key and moto's
    # first answer are not what is timed here.
    container_verifier()
    backend_client().api_key.get(Deadline(30))
    return verification_env


@pytest.mark.parametrize("fault", FAULTS)
def test_every_backend_fault_gives_unavailable_within_the_deadline(small_budget, fake_backend, fault):
    fake_backend.set_fault(fault, latency_ms=LATENCY_FAULT_MS)

    answer, elapsed = timed({"action": "send_code"})

    assert answer["result"] == answer["verification"] == "UNAVAILABLE"
    assert answer["reason"] == "verification is unavailable"
    assert answer["error_kind"] == FAULTS[fault]
    assert elapsed < BUDGET_MS / 1000 + MARGIN_S
    assert all(isinstance(value, str) for value in answer.values())
    assert sent_sms() == []


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("path_prefix", ["", "/customers/C-101010/verification"])
def test_every_backend_fault_on_a_pin_gives_unavailable_within_the_deadline(small_budget, fake_backend, fault, path_prefix):
    secret = keyed_encrypted("1357")
    timed({"action": "check_secret", "secret": keyed_encrypted("2468")}, address=LEE)  # the private key read, the SDK imported
    fake_backend.set_fault(fault, latency_ms=LATENCY_FAULT_MS, path_prefix=path_prefix)

    answer, elapsed = timed({"action": "check_secret", "secret": secret}, address=LEE)

    assert answer["result"] == answer["verification"] == "UNAVAILABLE"
    assert answer["reason"] == "verification is unavailable"
    assert answer["error_kind"] == FAULTS[fault]
    assert elapsed < BUDGET_MS / 1000 + MARGIN_S
    assert all(isinstance(value, str) for value in answer.values())


def test_a_missing_private_key_gives_unavailable_and_asks_nothing(verification_env, fake_backend):
    verification_env(VERIFICATION_INPUT_KEY_SECRET_ARN="no-such-secret")
    answer, _ = timed({"action": "check_secret", "secret": keyed_encrypted("1357")}, address=LEE)
    assert (answer["result"], answer["reason"], answer["error_kind"]) == ("UNAVAILABLE", "the PIN could not be read", "KEY_ERROR")
    assert not [r for r in fake_backend.requests if r.method == "POST"]


def test_a_missing_table_gives_unavailable_for_a_pin(verification_env):
    verification_env(VERIFICATION_TABLE_NAME="no-such-table")
    answer, _ = timed({"action": "check_secret", "secret": keyed_encrypted("1357")}, address=LEE)
    assert (answer["result"], answer["reason"]) == ("UNAVAILABLE", "verification is unavailable")
    assert answer["error_kind"].startswith("STORE")


def test_a_bug_in_the_pin_check_still_answers(verification_env, monkeypatch):
    from lambdas.caller_verification.verification import Verifier

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(Verifier, "check_secret", broken)
    answer, _ = timed({"action": "check_secret", "secret": keyed_encrypted("1357")}, address=LEE)
    assert (answer["result"], answer["error_kind"]) == ("UNAVAILABLE", "INTERNAL")


def test_a_dead_backend_opens_the_circuit(small_budget, fake_backend):
    fake_backend.set_fault("reset")
    kinds = [timed({"action": "send_code"})[0]["error_kind"] for _ in range(6)]
    assert kinds[-1] == "CIRCUIT_OPEN"


def test_a_missing_table_gives_unavailable(verification_env):
    verification_env(VERIFICATION_TABLE_NAME="no-such-table")
    answer, _ = timed({"action": "send_code"})
    assert (answer["result"], answer["reason"]) == ("UNAVAILABLE", "verification is unavailable")
    assert answer["error_kind"].startswith("STORE")
    assert timed({"action": "check_code", "code": "123456"})[0]["result"] == "UNAVAILABLE"


def test_a_missing_hmac_key_sends_nothing(verification_env):
    verification_env(VERIFICATION_KEY_SECRET_ARN="no-such-secret")
    answer, _ = timed({"action": "send_code"})
    assert answer["result"] == "UNAVAILABLE"
    assert sent_sms() == []


def test_a_failing_sms_send_leaves_no_code_to_enter(verification_env, moto_endpoint, monkeypatch):
    from lambdas.sms_deflection.senders import Delivery, SnsSender

    monkeypatch.setattr(SnsSender, "send", lambda self, *a, **k: Delivery("FAILED", "REFUSED"))
    answer, _ = timed({"action": "send_code"})
    assert (answer["result"], answer["reason"], answer["error_kind"]) == ("UNAVAILABLE", "the code could not be sent", "REFUSED")
    items = boto3.client("dynamodb", endpoint_url=moto_endpoint).scan(TableName=TABLE)["Items"]
    assert not any("digest" in item for item in items)


def test_a_bug_still_answers(verification_env, monkeypatch):
    from lambdas.caller_verification.verification import Verifier

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(Verifier, "check", broken)
    answer, _ = timed({"action": "check_code", "code": "123456"})
    assert (answer["result"], answer["error_kind"]) == ("UNAVAILABLE", "INTERNAL")


@pytest.mark.parametrize("event", [None, {}, {"Details": "x"}, connect_event({"action": "check_code", "code": "1" * 17}),
                                   connect_event({"action": "check_secret", "secret": "A" * 8193})])
def test_events_connect_cannot_send_or_input_too_long_are_answered(verification_env, event):
    answer = lambda_handler(event, LambdaContext())
    assert answer["result"] == "UNAVAILABLE"
    assert codes_sent("+14155550123") == []
