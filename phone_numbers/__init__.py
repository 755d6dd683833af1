"""What a valid caller phone number is, once for every tool that runs outside a Lambda.

The configuration, the command line, the simulator, the fake backend and the load test ask the
`phonenumbers` library (Google's libphonenumber metadata): a number is accepted when it is written
in E.164 (+, country code, national number, nothing else: at most 15 digits) and its length is
possible for that country. The Lambdas do not ship the library; `lambdas/common/phone.py` keeps a light check that
a property test holds to this definition.
"""
from __future__ import annotations

import phonenumbers

E164_MAX_DIGITS = 15  # ITU-T E.164: country code and national number together


def is_e164(text: object) -> bool:
    """True for a possible number written exactly in E.164, like "+14155550123"."""
    if not isinstance(text, str) or not text.startswith("+") or not text[1:].isdigit() or not text.isascii():
        return False
    if len(text) > 1 + E164_MAX_DIGITS:  # the metadata allows longer national numbers (Japan's, say) than E.164 does
        return False
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number) and phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == text


def to_e164(text: str, region: str | None = None) -> str | None:
    """A number as the caller or a file writes it ("(415) 555-0123" with region "US") in E.164, or None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return formatted if is_e164(formatted) else None
