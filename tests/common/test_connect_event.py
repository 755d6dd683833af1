"""Reading Connect events defensively: a broken event is an InvalidEvent with a reason, never a crash;
any event Connect can send parses, and only the values a function reads are bounded (InvalidInput)."""
from __future__ import annotations

import pytest

from lambdas.common.connect_event import CONNECT_ATTRIBUTES_MAX_BYTES, ContactEvent, InvalidEvent, InvalidInput, Reads
from tests.lambda_events import attributes_over_connects_limit, connect_event, crowded_attributes

READS = Reads(parameters={"order_id": 64}, attributes={"language": 16})


def full_event(**contact_fields):
    return connect_event({"order_id": "1234 5678#"}, contact_id="c-1", attributes={"language": "en-US"},
                         Queue={"Name": "Orders", "ARN": "arn:aws:connect:us-east-1:111122223333:instance/i/queue/q"},
                         **contact_fields)


def test_a_full_event_gives_the_fields_a_dip_needs():
    event = ContactEvent.parse(full_event(), READS)
    assert event.contact_id == "c-1"
    assert event.channel == "VOICE"
    assert event.customer_address == "+14155550123"
    assert event.parameter("order_id") == "1234 5678#"
    assert event.queue_name == "Orders"
    assert event.language == "en-US"


def test_a_task_without_a_customer_endpoint_parses_with_no_address():
    event = ContactEvent.parse(full_event(channel="TASK", CustomerEndpoint=None))
    assert event.channel == "TASK"
    assert event.customer_address is None


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (None, "event is not an object"),
        ({}, "event has no Details object"),
        ({"Details": {}}, "event has no Details.ContactData object"),
        ({"Details": {"ContactData": {"Channel": "VOICE"}}}, "Details.ContactData.ContactId is missing"),
        ({"Details": {"ContactData": {"ContactId": "c"}, "Parameters": {"order_id": 12345678}}}, "Details.Parameters.order_id is not a string"),
        ({"Details": {"ContactData": {"ContactId": "c"}, "Parameters": ["x"]}}, "Details.Parameters is not an object"),
        ({"Details": {"ContactData": {"ContactId": "c", "Attributes": {"note": 5}}}}, "Details.ContactData.Attributes.note is not a string"),
        ({"Details": {"ContactData": {"ContactId": "c", "Attributes": attributes_over_connects_limit()}}},
         "Details.ContactData.Attributes exceed Connect's 32768 UTF-8 bytes"),
    ],
)
def test_a_broken_event_is_refused_with_its_reason(event, reason):
    with pytest.raises(InvalidEvent, match=reason.replace(".", r"\.")):
        ContactEvent.parse(event)


def test_long_attributes_the_function_does_not_read_parse_up_to_connects_limit():
    for attributes in (crowded_attributes(), {"a": "é" * ((CONNECT_ATTRIBUTES_MAX_BYTES - 1) // 2)}):
        event = ContactEvent.parse(connect_event({"order_id": "12345678"}, attributes=attributes), READS)
        assert event.parameter("order_id") == "12345678" and event.attributes == attributes


def test_a_long_parameter_the_function_does_not_read_is_no_problem():
    event = ContactEvent.parse(connect_event({"order_id": "12345678", "transcript": "t" * 20_000}), READS)
    assert event.parameter("order_id") == "12345678"


@pytest.mark.parametrize(("event", "reason"), [
    (connect_event({"order_id": "1" * 65}), "Details.Parameters.order_id is longer than 64 characters"),
    (connect_event(attributes={"language": "en-US" * 4}), "Details.ContactData.Attributes.language is longer than 16 characters"),
])
def test_a_value_the_function_reads_beyond_its_bound_is_invalid_input_not_a_broken_event(event, reason):
    with pytest.raises(InvalidInput, match=reason.replace(".", r"\.")):
        ContactEvent.parse(event, READS)
    ContactEvent.parse(event)  # the same event, for a function that reads neither, is fine


def test_reading_a_value_the_function_did_not_declare_is_a_bug_caught_at_once():
    event = ContactEvent.parse(full_event(), READS)
    with pytest.raises(LookupError, match="queue"):
        event.parameter("queue")
    with pytest.raises(LookupError, match="customer_tier"):
        event.attribute("customer_tier")
