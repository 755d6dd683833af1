"""CX-4, DD-1, DD-2: input is checked before any network call; a broken event is a result, never a crash;
every event Connect can send gets a normal answer, however many attributes the contact carries."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import phone_numbers
from lambdas.common.order_id import normalize_order_id
from lambdas.common.phone import normalize_e164
from lambdas.customer_lookup.handler import lambda_handler as customer_lookup
from lambdas.interaction_log.handler import lambda_handler as interaction_log
from lambdas.order_status.handler import lambda_handler as order_status
from tests.lambda_events import LambdaContext, attributes_over_connects_limit, connect_event, crowded_attributes

HANDLERS = [order_status, customer_lookup, interaction_log]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678", "12345678"),
        ("1234 5678", "12345678"),
        ("1234-5678#", "12345678"),
        (" 12-34-56-78 # ", "12345678"),
        ("12345678#", "12345678"),
        ("１２３４５６７８", None),  # full-width digits
        ("١٢٣٤٥٦٧٨", None),  # Arabic-Indic digits
        ("1234567", None),
        ("123456789", None),
        ("1234567a", None),
        ("#12345678", None),
        ("12345678##", None),
        ("", None),
        ("1" * 10_000, None),
        (None, None),
    ],
)
def test_order_ids_are_exactly_eight_ascii_digits(raw, expected):
    assert normalize_order_id(raw) == expected


@given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.lists(st.sampled_from([" ", "-"]), max_size=6), st.booleans())
def test_any_eight_digits_with_separators_and_a_final_hash_normalize_to_the_digits(digits, separators, hash_key):
    typed = digits
    for position, separator in enumerate(separators):
        cut = (position * 3) % 9
        typed = typed[:cut] + separator + typed[cut:]
    typed += "#" if hash_key else ""
    assert normalize_order_id(typed) == digits


@given(st.text(max_size=200))
def test_normalizing_any_text_never_crashes_and_yields_eight_ascii_digits_or_nothing(raw):
    result = normalize_order_id(raw)
    assert result is None or (len(result) == 8 and result.isascii() and result.isdigit())


@given(st.text(max_size=40))
def test_phone_normalization_never_crashes_and_yields_e164_or_nothing(raw):
    result = normalize_e164(raw)
    assert result is None or phone_numbers.is_e164(result)


@given(st.integers(min_value=2_000_000_000, max_value=9_999_999_999))
def test_us_numbers_in_any_common_format_normalize_to_the_same_e164(number):
    digits = str(number)
    expected = "+1" + digits
    for typed in (expected, digits, f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", f"1 {digits[:3]} {digits[3:6]} {digits[6:]}"):
        assert normalize_e164(typed) == expected


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=80))
def test_order_status_answers_any_input_without_a_network_call(raw):
    answer = order_status(connect_event({"order_id": raw}), LambdaContext())
    if normalize_order_id(raw) is None:
        assert answer["result"] == "INVALID_INPUT"
    else:
        assert answer["result"] == "ERROR" and answer["error_kind"] == "NOT_CONFIGURED"  # no backend in this test


def test_invalid_input_never_reaches_the_backend(dip_env):
    for raw in ["", "1234", "１２３４５６７８", "x" * 900]:
        assert order_status(connect_event({"order_id": raw}), LambdaContext())["result"] == "INVALID_INPUT"
    assert order_status(connect_event({"order_id": "9" * 5000}), LambdaContext())["result"] == "INVALID_INPUT"
    assert dip_env.requests == []


@pytest.mark.parametrize("address", [None, "anonymous", "+0000", "Restricted", "+1415555012345678", "+1４１５5550123"])
def test_a_withheld_or_malformed_caller_number_is_unknown_without_a_call(dip_env, address):
    answer = customer_lookup(connect_event(address=address), LambdaContext())
    assert answer["result"] == "UNKNOWN"
    assert dip_env.requests == []


@pytest.mark.parametrize("channel", ["TASK", "CHAT", "EMAIL"])
def test_a_contact_that_is_not_a_phone_call_is_unknown(dip_env, channel):
    answer = customer_lookup(connect_event(channel=channel), LambdaContext())
    assert answer["result"] == "UNKNOWN"


def test_a_task_can_still_ask_for_an_order(dip_env):
    assert order_status(connect_event({"order_id": "12345678"}, channel="TASK", address=None), LambdaContext())["result"] == "FOUND"


@pytest.mark.parametrize(
    "event",
    [
        None,
        "ContactFlowEvent",
        [],
        {},
        {"Details": None},
        {"Details": {"Parameters": {}}},
        {"Details": {"ContactData": {"Channel": "VOICE"}}},
        {"Details": {"ContactData": {"ContactId": 42}}},
        {"Details": {"ContactData": {"ContactId": "c1", "Attributes": ["a"]}}},
        {"Details": {"ContactData": {"ContactId": "c1", "Attributes": attributes_over_connects_limit()}}},
        {"Details": {"ContactData": {"ContactId": "c1", "CustomerEndpoint": "not-an-object"}, "Parameters": {"order_id": 12345678}}},
    ],
    ids=lambda e: repr(e)[:40],
)
@pytest.mark.parametrize("handler", HANDLERS, ids=lambda h: h.__module__.split(".")[1])
def test_a_broken_event_gets_a_clear_answer(handler, event):
    answer = handler(event, LambdaContext())
    assert answer["result"] in {"ERROR", "UNKNOWN", "INVALID_INPUT"}
    assert all(isinstance(value, str) for value in answer.values())
    if answer["result"] == "ERROR":
        assert answer["error_kind"] in {"INVALID_EVENT", "NOT_CONFIGURED"}


def test_a_missing_customer_endpoint_is_an_unknown_caller():
    answer = customer_lookup({"Details": {"ContactData": {"ContactId": "c1", "Channel": "VOICE"}}}, LambdaContext())
    assert answer["result"] == "UNKNOWN"


def test_interaction_log_refuses_an_event_name_it_cannot_file(dip_env):
    for parameters in ({}, {"event": ""}, {"event": "order status!"}, {"event": "ORDER_STATUS", "outcome": "<speak>"}):
        assert interaction_log(connect_event(parameters), LambdaContext())["result"] == "INVALID_INPUT"
    assert dip_env.interactions == []


@pytest.mark.parametrize(("handler", "parameters", "expected"), [
    (order_status, {"order_id": "12345678"}, {"result": "FOUND", "status": "SHIPPED"}),
    (customer_lookup, {}, {"result": "FOUND", "customer_id": "C-100234"}),
    (interaction_log, {"event": "ORDER_STATUS", "order_id": "12345678", "outcome": "FOUND"}, {"result": "LOGGED"}),
], ids=lambda value: value.__module__.split(".")[1] if callable(value) else "")
def test_a_contact_with_30_kb_of_attributes_the_dip_does_not_read_gets_a_normal_answer(dip_env, handler, parameters, expected):
    answer = handler(connect_event(parameters, attributes=crowded_attributes()), LambdaContext())
    assert expected.items() <= answer.items()


@pytest.mark.parametrize("handler", HANDLERS, ids=lambda h: h.__module__.split(".")[1])
def test_attributes_beyond_connects_limit_are_an_invalid_event(dip_env, handler):
    answer = handler(connect_event({"order_id": "12345678", "event": "ORDER_STATUS"}, attributes=attributes_over_connects_limit()),
                     LambdaContext())
    assert (answer["result"], answer["error_kind"]) == ("ERROR", "INVALID_EVENT")
    assert dip_env.requests == []


@pytest.mark.parametrize("parameters", [
    {"event": "ORDER_STATUS" * 100},
    {"event": "ORDER_STATUS", "outcome": "FOUND" * 300},
    {"event": "ORDER_STATUS", "order_id": "1" * 2000},
])
def test_an_oversized_parameter_interaction_log_reads_is_invalid_input(dip_env, parameters):
    assert interaction_log(connect_event(parameters), LambdaContext()) == {"result": "INVALID_INPUT", "error_kind": ""}
    assert dip_env.requests == [] and dip_env.interactions == []


def test_an_oversized_order_id_is_invalid_input_with_the_whole_answer(dip_env):
    answer = order_status(connect_event({"order_id": "9" * 30_000}), LambdaContext())
    assert answer == {"result": "INVALID_INPUT", "timeout": "false", "error_kind": "", "order_id": "", "order_id_ssml": "",
                      "status": "", "summary": ""}
    assert dip_env.requests == []
