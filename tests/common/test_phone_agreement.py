"""The Lambdas' light phone check accepts exactly the numbers `phone_numbers.is_e164` accepts.

`lambdas.common.phone.is_e164` reads `numbering_plans.json` instead of shipping `phonenumbers`;
these tests compare the two on every country calling code the library knows, with national
numbers of every length from 1 to 17 digits, on national numbers that begin with the prefix the
library's parser strips, and on junk. The domain is every string: no corner is left out.
"""
from __future__ import annotations

import json
import random
import string

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lambdas.common.phone import is_e164 as light_is_e164
from lambdas.common.phone import normalize_e164
from phone_numbers import is_e164
from phone_numbers.numbering_plans import PLANS_PATH, numbering_plans, plans_file_text

CALLING_CODES = sorted(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
PLANS = json.loads(PLANS_PATH.read_text(encoding="utf-8"))["plans"]
CODES_WITH_A_NATIONAL_PREFIX = [code for code in CALLING_CODES if "national_prefix" in PLANS[code]]
DIGITS = st.text(string.digits, max_size=17)


def test_the_committed_plans_are_what_the_installed_phonenumbers_gives():
    assert PLANS_PATH.read_text(encoding="utf-8") == plans_file_text(numbering_plans()), (
        "lambdas/common/numbering_plans.json is stale: run `python -m phone_numbers.numbering_plans` and commit it"
    )


@pytest.mark.parametrize("calling_code", CALLING_CODES)
def test_every_length_of_every_calling_code(calling_code):
    tails = random.Random(calling_code)  # the same numbers on every run
    for length in range(1, 18):
        for first_digit in string.digits:
            number = "+" + calling_code + first_digit + "".join(tails.choices(string.digits, k=length - 1))
            assert light_is_e164(number) == is_e164(number), number


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(CALLING_CODES), DIGITS)
def test_any_national_number_after_a_calling_code(calling_code, national):
    number = "+" + calling_code + national
    assert light_is_e164(number) == is_e164(number)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(CODES_WITH_A_NATIONAL_PREFIX).flatmap(
    lambda code: st.tuples(st.just(code), st.from_regex(PLANS[code]["national_prefix"], fullmatch=True, alphabet=string.digits), DIGITS)
))
@example(("54", "01115", "12345678"))  # Argentina: 0 and 15 around the area code are rewritten to 9
@example(("378", "812345", ""))  # San Marino: a six-digit number is read as 0549 and those digits
def test_a_national_number_that_begins_with_the_national_prefix(case):
    calling_code, prefix, rest = case
    number = "+" + calling_code + prefix + rest
    assert light_is_e164(number) == is_e164(number)


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(max_size=25),
    st.text(string.digits, max_size=22).map(lambda digits: "+" + digits),
    st.text(string.digits + "+ -().０１２３٤٥", max_size=22).map(lambda text: "+" + text),
))
@example("+")
@example("+1")
@example("+12")
@example("+0123456789")
@example("+1415555010")
@example("+１４１５５５５０１２３")
@example("+14155550123\n")
def test_junk(text):
    assert light_is_e164(text) == is_e164(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.text(string.digits + " -()+", max_size=22)))
def test_a_normalized_number_is_one_the_library_accepts(raw):
    number = normalize_e164(raw)
    assert number is None or is_e164(number)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CALLING_CODES), DIGITS)
def test_a_number_already_in_e164_normalizes_to_itself_exactly_when_the_library_accepts_it(calling_code, national):
    number = "+" + calling_code + national
    assert normalize_e164(number) == (number if is_e164(number) else None)
