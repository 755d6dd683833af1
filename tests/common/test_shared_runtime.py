"""Responses Connect can read, masked logs, and E.164 normalization."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import phone_numbers
from lambdas.common.masking import mask_id, mask_phone
from lambdas.common.phone import normalize_e164
from lambdas.common.responses import flat_response


def test_a_response_is_a_flat_map_of_strings_the_flow_can_compare():
    response = flat_response("FOUND", timeout=False, status="SHIPPED", retries=0, note=None)
    assert response == {"result": "FOUND", "timeout": "false", "status": "SHIPPED", "retries": "0", "note": ""}


def test_a_response_larger_than_connect_accepts_is_refused():
    with pytest.raises(ValueError, match="exceeds Connect's limit"):
        flat_response("FOUND", summary="x" * 40_000)


def test_masking_keeps_enough_to_correlate_and_not_enough_to_call():
    assert mask_phone("+14155550123") == "+1********23"
    assert mask_id("12345678") == "******78"
    assert mask_phone(None) == "" and mask_id("") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+14155550123", "+14155550123"),
        ("(415) 555-0123", "+14155550123"),
        ("1 415 555 0123", "+14155550123"),
        ("0044 20 7946 0000", "+442079460000"),
        ("anonymous", None),
        ("", None),
        (None, None),
        ("+1415", None),
        ("+0123456789", None),
        ("+1 415 555 010", None),  # nine digits: no US number is that long
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+44 (0)20 7946 0000", None),  # the UK's national 0 does not belong after its country code
        ("＋１４１５５５５０１２３", None),  # full-width digits are not a phone number we can dial
    ],
)
def test_numbers_are_normalized_to_e164_or_refused(raw, expected):
    assert normalize_e164(raw) == expected


@given(st.text(max_size=40))
def test_normalization_never_crashes_and_only_returns_e164(raw):
    number = normalize_e164(raw)
    assert number is None or phone_numbers.is_e164(number)
