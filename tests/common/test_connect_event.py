"""Reading Connect events defensively: a broken event is an InvalidEvent with a reason, never a crash."""
from __future__ import annotations

import pytest

from lambdas.common.connect_event import ContactEvent, InvalidEvent
from tests.lambda_events import connect_event


def full_event(**contact_fields):
    return connect_event({"order_id": "1234 5678#"}, contact_id="c-1", attributes={"language": "en-US"},
                         Queue={"Name": "Orders", "ARN": "arn:aws:connect:us-east-1:111122223333:instance/i/queue/q"},
                         **contact_fields)


def test_a_full_event_gives_the_fields_a_dip_needs():
    event = ContactEvent.parse(full_event())
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
        ({"Details": {"ContactData": {"ContactId": "c", "Attributes": {"note": "x" * 5000}}}},
         "Details.ContactData.Attributes.note is longer than 1024 characters"),
    ],
)
def test_a_broken_event_is_refused_with_its_reason(event, reason):
    with pytest.raises(InvalidEvent, match=reason.replace(".", r"\.")):
        ContactEvent.parse(event)
