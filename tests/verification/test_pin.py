"""Issue 17, the PIN path: a caller without a mobile on file keys a PIN (or a date of birth) with
Connect's encrypted input; the dip decrypts it and asks the backend, against moto and the fake backend."""
from __future__ import annotations

import base64
import json

import pytest

from lambdas.caller_verification.encrypted_input import UnreadableInput, decrypt_message, master_key
from lambdas.caller_verification.handler import lambda_handler
from tests.lambda_events import LambdaContext, connect_event
from tests.verification.conftest import keyed_encrypted

LEE = "+16175550199"  # no mobile on file, PIN 1357, born 1984-03-09
SAM = "+447700900123"  # no mobile and no PIN on file
MARIA = "+14155550123"


def check_secret(secret: str, caller: str | None = LEE, contact_id: str = "contact-1") -> dict[str, str]:
    event = connect_event({"action": "check_secret", "secret": secret}, contact_id=contact_id, address=caller)
    return lambda_handler(event, LambdaContext())


def send(caller: str) -> dict[str, str]:
    return lambda_handler(connect_event({"action": "send_code"}, address=caller), LambdaContext())


def test_the_send_says_when_a_customer_without_a_mobile_has_a_pin(verification_env):
    assert (send(LEE)["reason"], send(LEE)["pin_on_file"]) == ("no mobile number on file", "true")
    assert send(SAM)["pin_on_file"] == "false"
    assert send(MARIA)["pin_on_file"] == "false"


def test_no_pin_is_offered_when_the_function_has_no_key_to_read_one(verification_env, monkeypatch):
    monkeypatch.delenv("VERIFICATION_INPUT_KEY_SECRET_ARN")  # no verification.pin_certificate: infra gives none
    verification_env()
    assert (send(LEE)["reason"], send(LEE)["pin_on_file"]) == ("no mobile number on file", "false")


def test_a_text_that_cannot_go_out_offers_the_pin(verification_env, monkeypatch, fake_backend):
    from lambdas.sms_deflection.senders import Delivery, SnsSender

    monkeypatch.setattr(SnsSender, "send", lambda self, *a, **k: Delivery("FAILED", "REFUSED"))
    monkeypatch.setitem(fake_backend.customers, LEE, {**fake_backend.customers[LEE], "mobilePhone": "+16175550100"})
    answer = send(LEE)
    assert (answer["reason"], answer["pin_on_file"]) == ("the code could not be sent", "true")


def test_the_right_pin_verifies_the_caller(verification_env, fake_backend):
    answer = check_secret(keyed_encrypted("1357"))

    assert answer["result"] == answer["verification"] == "VERIFIED"
    assert answer["reason"] == "PIN matched"
    [request] = [r for r in fake_backend.requests if r.method == "POST"]
    assert (request.path, request.json()) == ("/customers/C-101010/verification", {"pin": "1357"})
    assert "1357" not in json.dumps(answer)


def test_a_date_of_birth_is_asked_as_one(verification_env, fake_backend):
    assert check_secret(keyed_encrypted("1984-03-09"))["result"] == "VERIFIED"
    assert [r.json() for r in fake_backend.requests if r.method == "POST"] == [{"dateOfBirth": "1984-03-09"}]


def test_0_keyed_for_the_pin_asks_for_someone_without_a_check(verification_env, fake_backend):
    assert check_secret(keyed_encrypted("0"))["result"] == "CHOSE_AGENT"
    assert not [r for r in fake_backend.requests if r.method == "POST"]


def test_input_that_cannot_be_a_pin_is_wrong_without_asking(verification_env, fake_backend):
    assert check_secret(keyed_encrypted("12"))["result"] == "FAILED"
    assert not [r for r in fake_backend.requests if r.method == "POST"]


def test_a_wrong_pin_fails_and_never_leaves_the_dip(verification_env, capsys):
    answer = check_secret(keyed_encrypted("2468"))

    assert (answer["result"], answer["verification"], answer["reason"]) == ("FAILED", "FAILED", "wrong PIN entered")
    assert "2468" not in json.dumps(answer) + capsys.readouterr().out


def test_wrong_pins_count_towards_the_same_lockout_as_wrong_codes(verification_env):
    results = [check_secret(keyed_encrypted("2468"), contact_id=f"contact-{n}")["result"] for n in range(5)]
    assert results == ["FAILED"] * 4 + ["LOCKED"]
    # Locked out: even the right PIN is refused now, and so is a new code.
    assert check_secret(keyed_encrypted("1357"), contact_id="contact-6")["result"] == "LOCKED"


@pytest.mark.parametrize(("caller", "reason"), [(None, "the caller's number is withheld"),
                                                ("+15555550000", "the caller's number is not on file"),
                                                (SAM, "no mobile number or PIN on file")])
def test_without_a_customer_with_a_pin_there_is_nothing_to_check(verification_env, fake_backend, caller, reason):
    answer = check_secret(keyed_encrypted("1357"), caller=caller)
    assert (answer["result"], answer["reason"]) == ("UNAVAILABLE", reason)
    assert not [r for r in fake_backend.requests if r.method == "POST"]


@pytest.mark.parametrize("secret", ["1357", "", "not base64!", base64.b64encode(b"not an SDK message").decode()])
def test_input_that_is_not_connects_encrypted_input_is_never_checked(verification_env, fake_backend, secret):
    answer = check_secret(secret)
    assert (answer["result"], answer["reason"]) == ("UNAVAILABLE", "the PIN could not be read")
    assert answer["error_kind"] in ("NOT_ENCRYPTED", "DECRYPT")
    assert not [r for r in fake_backend.requests if r.method == "POST"]


def test_input_encrypted_for_another_security_key_is_refused(verification_env):
    from ivr.simulator.encrypted_input import encrypt_as_connect, local_key_pair

    other_key_id = encrypt_as_connect("1357", local_key_pair().certificate_pem, "another-security-key")
    assert check_secret(other_key_id)["error_kind"] == "DECRYPT"


def test_the_simulators_ciphertext_is_an_encryption_sdk_message_the_dip_decrypts():
    from ivr.simulator.encrypted_input import local_key_pair

    keys = local_key_pair()
    stored = keyed_encrypted("1357")
    message = base64.b64decode(stored)
    assert message[0] == 1  # an Encryption SDK message, format version 1
    assert b"AmazonConnect" in message and keys.key_id.encode() in message  # the encrypted data key's provider and key id
    assert decrypt_message(stored, master_key(keys.private_key_pem.encode(), keys.key_id)) == "1357"
    with pytest.raises(UnreadableInput):
        decrypt_message(stored, master_key(keys.private_key_pem.encode(), "another-security-key"))
