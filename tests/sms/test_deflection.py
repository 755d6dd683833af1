"""The deflection dip end to end against moto (DynamoDB + SNS over HTTP): what the caller gets (CX-10, DD-4)."""
from __future__ import annotations

import boto3
import pytest

from lambdas.sms_deflection.handler import lambda_handler
from tests.lambda_events import LambdaContext, connect_event, crowded_attributes
from tests.sms.conftest import ENROLLMENT_TABLE, MESSAGE, create_table, sent_sms


def call(contact_id: str = "contact-1", number: str | None = "+14155550123", **kwargs) -> dict:
    return lambda_handler(connect_event(contact_id=contact_id, address=number), LambdaContext(**kwargs))


def test_a_mobile_caller_gets_the_configured_text_once(sms_env):
    answer = call()
    assert answer == {"result": "SENT", "channel": "SMS", "error_kind": ""}
    assert sent_sms() == [("+14155550123", MESSAGE)]


def test_a_contact_with_30_kb_of_attributes_still_gets_its_text(sms_env):
    answer = lambda_handler(connect_event(contact_id="crowded", attributes=crowded_attributes()), LambdaContext())
    assert answer == {"result": "SENT", "channel": "SMS", "error_kind": ""}
    assert sent_sms() == [("+14155550123", MESSAGE)]


def test_three_invocations_for_one_contact_send_exactly_one_message(sms_env):
    answers = [call("contact-twice") for _ in range(3)]
    assert all(a["result"] == "SENT" and a["channel"] == "SMS" for a in answers)
    assert len(sent_sms()) == 1


def test_the_number_is_normalized_to_e164_before_sending(sms_env):
    assert call(number="(415) 555-0123")["result"] == "SENT"
    assert sent_sms() == [("+14155550123", MESSAGE)]


@pytest.mark.parametrize("number", [None, "anonymous", "12", "+0123456789", "+١٤١٥٥٥٥٠١٢٣"])
def test_a_withheld_or_invalid_number_gets_no_number(sms_env, number):
    assert call(number=number) == {"result": "NO_NUMBER", "channel": "", "error_kind": ""}
    assert sent_sms() == []


def test_an_opted_out_number_gets_no_message(sms_env):
    # moto's SNS reports numbers ending in 99 as opted out
    assert call(number="+14155550199")["result"] == "OPTED_OUT"
    assert sent_sms() == []


def test_a_number_gets_at_most_the_configured_messages_per_window(sms_env):
    sms_env(RATE_LIMIT_MAX_MESSAGES="2")
    results = [call(f"contact-{n}")["result"] for n in range(4)]
    assert results == ["SENT", "SENT", "RATE_LIMITED", "RATE_LIMITED"]
    assert len(sent_sms()) == 2
    assert call("contact-other-number", number="+14155550124")["result"] == "SENT"


def test_a_landline_from_the_enrollment_table_gets_not_mobile(sms_env, moto_endpoint):
    create_table(moto_endpoint, ENROLLMENT_TABLE, key="phone")
    table = boto3.client("dynamodb", endpoint_url=moto_endpoint)
    table.put_item(TableName=ENROLLMENT_TABLE, Item={"phone": {"S": "+14155550123"}, "lineType": {"S": "LANDLINE"}, "appEnrolled": {"BOOL": False}})
    table.put_item(TableName=ENROLLMENT_TABLE, Item={"phone": {"S": "+14155550124"}, "lineType": {"S": "MOBILE"}, "appEnrolled": {"BOOL": False}})
    sms_env(ENROLLMENT_SOURCE="table", ENROLLMENT_TABLE_NAME=ENROLLMENT_TABLE, UNKNOWN_LINE_TYPE="refuse")
    assert call("c1")["result"] == "NOT_MOBILE"
    assert call("c2", number="+14155550124")["result"] == "SENT"
    assert call("c3", number="+14155550125")["result"] == "NOT_MOBILE"  # unknown number, policy refuse
    assert sent_sms() == [("+14155550124", MESSAGE)]


def test_an_event_that_is_not_from_connect_gets_error_not_an_exception(sms_env):
    assert lambda_handler({"Details": {}}, LambdaContext()) == {"result": "ERROR", "channel": "", "error_kind": "INVALID_EVENT"}


def test_without_its_table_nothing_is_sent_and_the_answer_is_error(sms_env):
    sms_env(SMS_DEFLECTION_TABLE_NAME="no-such-table")
    answer = call()
    assert answer["result"] == "ERROR" and answer["error_kind"] == "STORE"
    assert sent_sms() == []


def test_with_too_little_time_left_nothing_is_started_and_a_later_press_can_send(sms_env):
    assert call(remaining_ms=500) == {"result": "ERROR", "channel": "", "error_kind": "NO_TIME"}
    assert sent_sms() == []
    assert call()["result"] == "SENT"
    assert len(sent_sms()) == 1


def test_every_metric_it_emits_is_in_the_catalog(sms_env, capsys):
    import json

    from lambdas.common.observability import RESULTS_BY_SERVICE, MetricName, result_metric_name

    call("m1"), call("m1"), call("m2", number="+14155550199"), call("m3", number=None)
    emitted = set()
    for line in capsys.readouterr().out.splitlines():
        if line.startswith('{"_aws"'):
            emitted |= {m["Name"] for m in json.loads(line)["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    catalog = set(MetricName) | {result_metric_name(r) for r in RESULTS_BY_SERVICE["sms_deflection"]}
    assert {"Invocations", "DeflectionSentSms", "DeflectionDuplicate", "ResultOptedOut", "ResultNoNumber"} <= emitted
    assert emitted <= catalog


def test_an_unreachable_sms_service_answers_error_and_a_later_press_may_try_again(sms_env, monkeypatch):
    sms_env(AWS_ENDPOINT_URL_SNS="http://127.0.0.1:9")  # nothing listens: connection refused, nothing sent
    assert call() == {"result": "ERROR", "channel": "", "error_kind": "CONNECTION"}
    monkeypatch.delenv("AWS_ENDPOINT_URL_SNS")
    sms_env()
    assert call()["result"] == "SENT" and len(sent_sms()) == 1


def test_a_hung_sms_service_is_given_up_within_the_budget_and_never_retried(sms_env):
    import socket
    import time

    with socket.socket() as blackhole:  # accepts connections, never answers
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(8)
        sms_env(AWS_ENDPOINT_URL_SNS=f"http://127.0.0.1:{blackhole.getsockname()[1]}", DIP_BUDGET_MS="2000")
        started = time.monotonic()
        answer = call()
        elapsed = time.monotonic() - started
    assert answer == {"result": "ERROR", "channel": "", "error_kind": "TIMEOUT"}
    assert elapsed < 2.0 + 1.5  # the budget, with a generous margin (the blackhole never answers)
    assert call()["error_kind"] == "TIMEOUT"  # the publish may have gone out: never sent again for this contact


def test_with_the_default_budget_the_sms_still_fits(sms_env, monkeypatch):
    monkeypatch.delenv("DIP_BUDGET_MS")
    sms_env()
    assert call()["result"] == "SENT"
