"""Issue 17: the caller verification dip against moto (table, secrets, SNS) and the fake backend."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from lambdas.caller_verification import handler
from lambdas.caller_verification.handler import lambda_handler
from tests.lambda_events import LambdaContext, connect_event
from tests.sms.conftest import sent_sms
from tests.verification.conftest import TABLE, codes_sent

MARIA = "+14155550123"  # calls from her mobile, which is on file
JAMES = "+12125550187"  # calls from a landline; his mobile on file is +12125550163
SAM = "+447700900123"  # no mobile on file
UNKNOWN = "+15555550000"


def send(caller: str | None = MARIA, contact_id: str = "contact-1", resend: bool = False) -> dict[str, str]:
    parameters = {"action": "send_code", **({"resend": "true"} if resend else {})}
    return lambda_handler(connect_event(parameters, contact_id=contact_id, address=caller), LambdaContext())


def check(code: str, contact_id: str = "contact-1") -> dict[str, str]:
    return lambda_handler(connect_event({"action": "check_code", "code": code}, contact_id=contact_id), LambdaContext())


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def table_items(endpoint: str) -> list[dict]:
    return boto3.client("dynamodb", endpoint_url=endpoint).scan(TableName=TABLE)["Items"]


def test_the_code_texted_to_the_mobile_on_file_verifies_the_caller(verification_env, moto_endpoint):
    answer = send()

    assert answer["result"] == "SENT"
    assert answer["mobile_last_digits"] == "23"
    [code] = codes_sent(MARIA)
    [(_, text)] = sent_sms(MARIA)
    assert text.startswith(f"{code} is your Acme verification code")
    assert code not in str(table_items(moto_endpoint))  # only its HMAC is stored
    verified = check(code)
    assert verified["result"] == verified["verification"] == "VERIFIED"
    assert verified["reason"] == "code sent by text matched"
    assert all(isinstance(value, str) for value in verified.values())
    assert check(code)["result"] == "VERIFIED"  # a retried check answers the same


def test_a_caller_in_spanish_gets_the_text_in_spanish(verification_env):
    event = connect_event({"action": "send_code"}, address=MARIA, LanguageCode="es-US")
    assert lambda_handler(event, LambdaContext())["result"] == "SENT"
    [code] = codes_sent(MARIA)
    [(_, text)] = sent_sms(MARIA)
    assert text == f"{code} es su código de verificación de Acme. Vence en 5 minutos. Nunca le pediremos que lo comparta."


def test_the_code_goes_to_the_mobile_on_file_not_to_the_landline_calling(verification_env):
    assert send(JAMES)["mobile_last_digits"] == "63"
    assert sent_sms(JAMES) == []
    assert len(codes_sent("+12125550163")) == 1


def test_a_retried_send_texts_no_second_code(verification_env):
    assert send()["result"] == "SENT"
    assert send()["result"] == "SENT"  # Connect retrying the same block
    assert len(codes_sent(MARIA)) == 1


def test_three_wrong_codes_fail_the_verification(verification_env):
    send()
    [code] = codes_sent(MARIA)

    first, second, third = check(wrong(code)), check(wrong(code)), check(wrong(code))

    assert (first["result"], first["attempts_left"]) == ("WRONG_CODE", "2")
    assert first["verification"] == ""
    assert (second["result"], second["attempts_left"]) == ("WRONG_CODE", "1")
    assert third["result"] == third["verification"] == "FAILED"
    assert check(code)["result"] == "EXPIRED"  # the right code no longer works once it failed


def test_one_resend_replaces_the_code(verification_env, monkeypatch):
    send()
    assert send(resend=True)["result"] == "SENT"
    old, new = codes_sent(MARIA)
    if old != new:  # one chance in a million that the new code is the old one
        assert check(old)["result"] == "WRONG_CODE"
    assert check(new)["result"] == "VERIFIED"


def test_a_second_resend_is_refused(verification_env):
    send()
    send(resend=True)
    answer = send(resend=True)
    assert (answer["result"], answer["reason"]) == ("FAILED", "a new code was already sent once")
    assert len(codes_sent(MARIA)) == 2


def test_a_code_expires(verification_env, monkeypatch):
    send()
    [code] = codes_sent(MARIA)
    later = datetime.now(UTC) + timedelta(seconds=301)
    monkeypatch.setattr(handler, "utc_now", lambda: later)
    assert check(code)["result"] == "EXPIRED"


def test_wrong_codes_lock_the_customer_out_across_calls(verification_env):
    send(contact_id="call-1")
    [code] = codes_sent(MARIA)
    for _ in range(3):
        check(wrong(code), "call-1")
    send(contact_id="call-2")
    second = codes_sent(MARIA)[-1]
    check(wrong(second), "call-2")
    locked = check(wrong(second), "call-2")  # the fifth wrong code

    assert locked["result"] == locked["verification"] == "LOCKED"
    assert check(second, "call-2")["result"] == "EXPIRED"  # the lockout drops the code
    assert send(contact_id="call-3")["result"] == "LOCKED"
    assert len(codes_sent(MARIA)) == 2  # nothing texted while locked out


@pytest.mark.parametrize(("caller", "reason"), [
    (None, "the caller's number is withheld"),
    (UNKNOWN, "the caller's number is not on file"),
    (SAM, "no mobile number on file"),
])
def test_a_caller_who_cannot_get_a_code_is_unavailable_with_the_reason(verification_env, caller, reason):
    answer = send(caller)
    assert answer["result"] == answer["verification"] == "UNAVAILABLE"
    assert answer["reason"] == reason
    assert sent_sms() == []


def test_codes_are_rate_limited_per_calling_number(verification_env):
    verification_env(CODES_PER_CALLING_NUMBER="2", CODES_PER_CUSTOMER="10")
    assert [send(contact_id=f"call-{n}")["result"] for n in range(3)] == ["SENT", "SENT", "UNAVAILABLE"]
    assert send(contact_id="call-9")["reason"] == "too many codes requested"
    assert len(codes_sent(MARIA)) == 2


def test_codes_are_rate_limited_per_customer(verification_env):
    verification_env(CODES_PER_CUSTOMER="1", CODES_PER_CALLING_NUMBER="10")
    assert send(contact_id="call-1")["result"] == "SENT"
    assert send(contact_id="call-2")["reason"] == "too many codes requested"


def test_neither_the_code_nor_a_number_reaches_the_logs(verification_env, capsys):
    send(JAMES)
    [code] = codes_sent("+12125550163")
    check(wrong(code))
    check(code)
    logs = capsys.readouterr().out
    assert code not in logs and wrong(code) not in logs
    assert JAMES not in logs and "+12125550163" not in logs and "2125550163" not in logs


def test_an_unknown_action_is_refused_without_a_call(verification_env, fake_backend):
    answer = lambda_handler(connect_event({"action": "dance"}), LambdaContext())
    assert answer["result"] == "UNAVAILABLE"
    assert fake_backend.requests == []


def test_a_lockout_from_another_call_stops_a_code_already_sent(verification_env):
    send(contact_id="call-a")
    [code_a] = codes_sent(MARIA)
    send(contact_id="call-b")
    code_b = codes_sent(MARIA)[-1]
    for _ in range(3):
        check(wrong(code_b), "call-b")
    send(contact_id="call-c")
    code_c = codes_sent(MARIA)[-1]
    check(wrong(code_c), "call-c")
    assert check(wrong(code_c), "call-c")["result"] == "LOCKED"

    assert check(code_a, "call-a")["result"] == "LOCKED"  # the right code of a call in parallel no longer verifies


@pytest.mark.parametrize(("language", "expected"), [
    (None, "123456 is your Acme verification code. It expires in 1 minute. We will never ask you to share it."),
    ("en-GB", "123456 is your Acme verification code. It expires in 1 minute. We will never ask you to share it."),
    ("ES-mx", "123456 es su código de verificación de Acme. Vence en 1 minuto. Nunca le pediremos que lo comparta."),
])
def test_the_text_says_the_code_first_in_the_calls_language(language, expected):
    from lambdas.caller_verification.settings import Settings

    assert Settings("table", "secret", brand="Acme", code_valid_seconds=60).message("123456", language) == expected


def test_without_a_brand_name_the_text_names_no_one(cdk_context):
    from configuration.model import load_config
    from configuration.runtime_values import caller_verification_environment
    from lambdas.caller_verification.settings import Settings

    environment = caller_verification_environment(load_config(cdk_context), table_name="t", key_secret_id="k",
                                                  base_url="http://backend", secret_id="s")
    settings = Settings.from_environment(environment)
    assert settings.message("123456") == "123456 is your verification code. It expires in 5 minutes. We will never ask you to share it."
    assert settings.message("123456", "es-US").startswith("123456 es su código de verificación. Vence en 5 minutos.")
