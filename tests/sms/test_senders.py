"""Sending through End User Messaging SMS (botocore Stubber at the client boundary: moto lacks the service)
and SNS failures, through the handler with the real idempotency table in moto."""
from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from lambdas.sms_deflection import service
from lambdas.sms_deflection.handler import lambda_handler
from lambdas.sms_deflection.settings import Settings
from tests.lambda_events import LambdaContext, connect_event
from tests.sms.conftest import MESSAGE, sent_sms

ORIGINATION = "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1234567890abcdef"
NUMBER = "+14155550123"


@pytest.fixture
def stubbed(sms_env, moto_endpoint, monkeypatch):
    """Install a service whose messaging client is stubbed; returns (stubber, calls made to the send operation)."""

    def install(channel: str = "end_user_messaging"):
        sms_env(SMS_CHANNEL=channel, SMS_ORIGINATION_IDENTITY=ORIGINATION if channel == "end_user_messaging" else "")
        name = "pinpoint-sms-voice-v2" if channel == "end_user_messaging" else "sns"
        client = boto3.client(name, region_name="us-east-1")
        calls: list[dict] = []
        operation = "SendTextMessage" if channel == "end_user_messaging" else "Publish"
        client.meta.events.register(f"provide-client-params.*.{operation}", lambda params, **_: calls.append(params))
        stubber = Stubber(client)
        stubber.activate()
        built = service.create(Settings.from_environment(), dynamodb=boto3.client("dynamodb", endpoint_url=moto_endpoint), messaging=client)
        monkeypatch.setattr(service, "build", lambda: built)
        return stubber, calls

    return install


def call(contact_id: str = "contact-1") -> dict:
    return lambda_handler(connect_event(contact_id=contact_id, address=NUMBER), LambdaContext())


def test_end_user_messaging_sends_from_the_configured_identity_once_per_contact(stubbed):
    stubber, calls = stubbed()
    stubber.add_response("send_text_message", {"MessageId": "m-1"}, {
        "DestinationPhoneNumber": NUMBER, "OriginationIdentity": ORIGINATION, "MessageBody": MESSAGE,
        "MessageType": "TRANSACTIONAL", "Context": {"contactId": "contact-1"},
    })
    assert [call()["result"] for _ in range(3)] == ["SENT"] * 3
    assert len(calls) == 1
    stubber.assert_no_pending_responses()


def test_end_user_messaging_refusing_an_opted_out_number_answers_opted_out(stubbed):
    stubber, calls = stubbed()
    stubber.add_client_error("send_text_message", "ConflictException", "opted out", 400, modeled_fields={"Reason": "DESTINATION_PHONE_NUMBER_OPTED_OUT"})
    assert call() == {"result": "OPTED_OUT", "channel": "", "error_kind": ""}
    assert call()["result"] == "OPTED_OUT" and len(calls) == 1  # remembered for the contact


def test_a_server_error_may_have_sent_so_the_contact_is_never_sent_again(stubbed):
    stubber, calls = stubbed()
    stubber.add_client_error("send_text_message", "InternalServerException", "boom", 500)
    assert call() == {"result": "ERROR", "channel": "", "error_kind": "SERVICE"}
    assert call()["error_kind"] == "SERVICE"
    assert len(calls) == 1


def test_throttling_is_retried_once_and_a_later_press_may_try_again(stubbed):
    stubber, calls = stubbed()
    for _ in range(2):
        stubber.add_client_error("send_text_message", "ThrottlingException", "slow down", 400)
    assert call() == {"result": "ERROR", "channel": "", "error_kind": "THROTTLED"}
    assert len(calls) == 2
    stubber.add_response("send_text_message", {"MessageId": "m-2"})
    assert call()["result"] == "SENT"  # nothing had been sent: the second press sends
    assert len(calls) == 3


def test_a_refused_request_frees_the_rate_limit_slot(stubbed):
    stubber, calls = stubbed()
    stubber.add_client_error("send_text_message", "ValidationException", "bad", 400)
    assert call("c1")["error_kind"] == "REFUSED"
    for n in range(3):
        stubber.add_response("send_text_message", {"MessageId": f"m-{n}"})
    assert [call(f"c{n}")["result"] for n in range(2, 5)] == ["SENT"] * 3  # limit 3: the refusal took none


def test_sns_publish_failing_after_the_opt_out_check_answers_error(stubbed):
    stubber, calls = stubbed("sns")
    stubber.add_response("check_if_phone_number_is_opted_out", {"isOptedOut": False}, {"phoneNumber": NUMBER})
    stubber.add_client_error("publish", "InternalError", "boom", 500)
    assert call() == {"result": "ERROR", "channel": "", "error_kind": "SERVICE"}
    assert len(calls) == 1 and sent_sms() == []


def test_a_second_press_while_the_first_is_still_sending_sends_nothing(stubbed):
    import threading
    import time

    stubber, calls = stubbed()
    stubber.add_response("send_text_message", {"MessageId": "m-1"})
    second_answered = threading.Event()

    def hold_the_send(**_) -> None:
        second_answered.wait(timeout=5)

    stubber.client.meta.events.register("provide-client-params.*.SendTextMessage", hold_the_send)
    first: list[dict] = []
    sending = threading.Thread(target=lambda: first.append(call()))
    sending.start()
    give_up_at = time.monotonic() + 10
    while not calls and time.monotonic() < give_up_at:  # the first invocation is inside the send
        time.sleep(0.01)
    assert calls, "the first press never reached the send"
    second = call()
    second_answered.set()
    sending.join(timeout=10)
    assert second == {"result": "SENT", "channel": "", "error_kind": ""}  # on its way, from the first press
    assert first[0]["result"] == "SENT" and len(calls) == 1
