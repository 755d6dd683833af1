"""DD-3: the IVR's timeline item is written once per contact and event, whatever retries happen."""
from __future__ import annotations

from lambdas.interaction_log.handler import lambda_handler as interaction_log
from tests.lambda_events import LambdaContext, connect_event

PARAMETERS = {"event": "ORDER_STATUS", "order_id": "1234-5678", "outcome": "FOUND"}


def test_the_same_contact_and_event_twice_writes_one_timeline_item(dip_env):
    first = interaction_log(connect_event(PARAMETERS), LambdaContext())
    again = interaction_log(connect_event(PARAMETERS), LambdaContext())  # Connect's retry

    assert (first["result"], again["result"]) == ("LOGGED", "DUPLICATE")
    assert len(dip_env.interactions) == 1
    item = dip_env.interactions[0]
    assert item["contactId"] == "c0ffee00-1111-2222-3333-444455556666"
    assert (item["event"], item["orderId"], item["outcome"], item["callerNumber"]) == ("ORDER_STATUS", "12345678", "FOUND", "+14155550123")
    assert {r.headers["idempotency-key"] for r in dip_env.requests} == {"c0ffee00-1111-2222-3333-444455556666:ORDER_STATUS"}


def test_a_write_whose_answer_was_lost_is_retried_without_a_second_item(dip_env):
    # The first attempt is written but its answer never arrives (the trickle outlasts the budget);
    # the flow's retry carries the same key and finds the item.
    dip_env.set_fault("trickle", count=1)
    assert interaction_log(connect_event(PARAMETERS), LambdaContext())["result"] == "ERROR"
    assert interaction_log(connect_event(PARAMETERS), LambdaContext())["result"] == "DUPLICATE"
    assert len(dip_env.interactions) == 1


def test_a_transient_failure_is_retried_within_the_invocation(dip_env):
    dip_env.set_fault("error_503", count=2)

    assert interaction_log(connect_event(PARAMETERS), LambdaContext())["result"] == "LOGGED"
    assert len(dip_env.requests) == 3 and len(dip_env.interactions) == 1


def test_other_events_of_the_same_contact_and_other_contacts_are_separate_items(dip_env):
    interaction_log(connect_event(PARAMETERS), LambdaContext())
    interaction_log(connect_event({**PARAMETERS, "event": "AGENT_TRANSFER"}), LambdaContext())
    interaction_log(connect_event(PARAMETERS, contact_id="another-contact"), LambdaContext())

    assert len(dip_env.interactions) == 3
