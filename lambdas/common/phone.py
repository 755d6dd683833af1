"""Normalizing the caller's number to E.164 (+ and 8 to 15 digits, no leading zero)."""
from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


def normalize_e164(raw: str | None, default_country_code: str = "1") -> str | None:
    """The number in E.164, or None when it is withheld, malformed or not plain ASCII digits.

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
    return number if _E164.fullmatch(number) else None
