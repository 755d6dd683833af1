"""JSONPath values, SSML as heard, Connect's comparison operators, and scripted keys."""
from __future__ import annotations

import pytest

from ivr.simulator.callers import BadKeys, Prompt, ScriptedCaller, parse_keys
from ivr.simulator.values import condition_true, resolve_text, ssml_to_text

ROOT = {"Attributes": {"orderId": "12345678", "reason code": "ORDER"}, "External": {"first_name": "Ana", "n": "7"},
        "StoredCustomerInput": "42", "CustomerEndpoint": {"Address": "+15555550123"}}


@pytest.mark.parametrize("value, expected", [
    ("$.Attributes.orderId", "12345678"),
    ("$.StoredCustomerInput", "42"),
    ("Hello $.External.first_name.", "Hello Ana."),
    ("$.Attributes['reason code']", "ORDER"),
    ("Calling from $.CustomerEndpoint.Address", "Calling from +15555550123"),
    ("$.External.missing", ""),
    ("no path here", "no path here"),
])
def test_jsonpaths_resolve_against_the_contact(value, expected):
    assert resolve_text(value, ROOT) == expected


def test_a_missing_path_is_reported():
    missing = []
    resolve_text("Hi $.External.nobody", ROOT, missing.append)
    assert missing == ["$.External.nobody"]


def test_ssml_is_shown_as_the_words_a_caller_hears():
    ssml = ('<speak>Order <say-as interpret-as="digits">1234</say-as> has <emphasis>shipped</emphasis>.'
            '<break time="300ms"/> Tom &amp; Jerry</speak>')
    assert ssml_to_text(ssml) == "Order 1 2 3 4 has shipped. Tom & Jerry"


@pytest.mark.parametrize("operator, left, right, expected", [
    ("Equals", "SENT", "SENT", True),
    ("Equals", "SENT", "sent", False),
    ("TextStartsWith", "main>1", "main", True),
    ("TextEndsWith", "main>1", ">1", True),
    ("TextContains", "order status", "der st", True),
    ("TextContains", "order", "x", False),
    ("NumberGreaterThan", "600", "300", True),
    ("NumberGreaterThan", "300", "300", False),
    ("NumberGreaterOrEqualTo", "300", "300", True),
    ("NumberLessThan", "2", "10", True),  # numbers, not text
    ("NumberLessOrEqualTo", "10", "10", True),
    ("NumberLessThan", "abc", "10", False),  # not a number: false
    ("NumberGreaterThan", "", "0", False),
])
def test_every_comparison_operator(operator, left, right, expected):
    assert condition_true(operator, left, right) is expected


MENU = Prompt("Press 1.", store=False, timeout_seconds=5)
ORDER = Prompt("Enter your order number.", store=True, timeout_seconds=8, max_length=8)


def test_scripted_keys_answer_prompts_in_order():
    caller = ScriptedCaller("1 1234#  - 0")
    assert caller.answer(MENU).keys == "1"
    assert caller.answer(ORDER).keys == "1234"
    assert caller.answer(MENU) is None  # "-": no key
    assert caller.answer(MENU).keys == "0"
    assert caller.answer(MENU) is None  # keys ran out: the prompt times out


def test_stored_input_stops_at_its_maximum_length_and_keeps_the_rest():
    caller = ScriptedCaller("123456789")
    assert caller.answer(ORDER).keys == "12345678"
    assert caller.answer(MENU).keys == "9"


def test_hang_up_and_bad_keys():
    assert ScriptedCaller("hangup").answer(MENU).hang_up
    with pytest.raises(BadKeys, match="'1a' is not phone keys"):
        parse_keys("1 1a")
