"""The caller's number in E.164, accepted exactly when `phone_numbers.is_e164` accepts it.

The Lambdas do not ship the `phonenumbers` library. They read what it would consult instead from
`numbering_plans.json` (per country calling code: the possible national lengths and the national
prefix that parsing would strip), generated from its metadata by
`python -m phone_numbers.numbering_plans`; tests/common/test_phone_agreement.py holds this check
to the library's answer.
"""
from __future__ import annotations

import json
import os
import re

_SEPARATORS = re.compile(r"[\s\-().]")
_NATIONAL_DIGITS = range(2, 18)  # phonenumbers refuses a national number shorter or longer, whatever the country
E164_MAX_DIGITS = 15  # country code and national number together


def _read_plans() -> dict[str, dict]:
    with open(os.path.join(os.path.dirname(__file__), "numbering_plans.json"), "rb") as plans:
        return json.load(plans)["plans"]


_PLANS = _read_plans()  # at import, in the function's init, not inside a caller's time budget


def is_e164(number: str) -> bool:
    """True for a possible number written exactly in E.164, like "+14155550123"."""
    digits = number[1:]
    if not number.startswith("+") or not digits.isascii() or not digits.isdigit() or len(digits) > E164_MAX_DIGITS:
        return False
    for code_length in (1, 2, 3):  # phonenumbers takes the shortest leading digits that are a calling code
        plan = _PLANS.get(digits[:code_length])
        if plan is not None:
            national = digits[code_length:]
            possible = len(national) in plan["lengths"]  # a local-only length is not a caller's number
            return possible and len(national) in _NATIONAL_DIGITS and _read_as_written(national, plan)
    return False


def _read_as_written(national: str, plan: dict) -> bool:
    """False when phonenumbers would read a national prefix off the front: its number is then not the one written.

    This follows `phonenumbers.parse`: it takes the prefix off (or rewrites the number by the plan's
    transform) unless the result no longer fits the plan's pattern while the written number did, or
    its length is neither a possible one nor above the longest possible one.
    """
    prefix: str = plan.get("national_prefix", "")
    match = re.match(prefix, national) if prefix else None
    if match is None:
        return True
    transform: str = plan.get("transform", "")
    rewrites = bool(transform and match.groups()) and match.groups()[-1] is not None
    read = re.sub(prefix, transform, national, count=1) if rewrites else national[match.end():]
    pattern = plan["pattern"]
    if re.fullmatch(pattern, national) and not re.fullmatch(pattern, read):
        return True
    lengths, local_only = plan["lengths"], plan["local_only"]
    taken = len(read) not in local_only and (len(read) in lengths or len(read) > max(lengths))
    return not taken or read == national


def normalize_e164(raw: str | None, default_country_code: str = "1") -> str | None:
    """The number in E.164, or None when it is withheld, malformed, impossible for its country or not plain ASCII digits.

    Connect already sends E.164 for phone calls; the leniency here is for numbers typed into
    a test harness or stored by a CRM ("(415) 555-0123", "0044 20 7946 0000").
    """
    if not raw or not raw.isascii():
        return None
    number = _SEPARATORS.sub("", raw.strip())
    if number.startswith("00"):
        number = "+" + number[2:]
    elif not number.startswith("+") and number.isdigit():
        if len(number) == 10 and default_country_code == "1":
            number = "+1" + number
        elif len(number) == 11 and number.startswith(default_country_code):
            number = "+" + number
        else:
            return None
    return number if is_e164(number) else None
