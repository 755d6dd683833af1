"""The caller's order number as typed, made into the backend's 8-digit order id (DD-1, CX-4)."""
from __future__ import annotations

import re

ORDER_ID_DIGITS = 8
_IGNORED = re.compile(r"[ \-]")
LONGEST_PLAUSIBLE_INPUT = 64  # 8 digits plus generous separators; anything longer is not an order id


def normalize_order_id(raw: str | None) -> str | None:
    """`"1234-5678#"` -> `"12345678"`; None for anything that is not exactly 8 ASCII digits.

    Spaces and dashes are separators; one trailing `#` is the key that ends DTMF input.
    Full-width or other non-ASCII digits are refused: the backend knows only ASCII ids.
    """
    if not isinstance(raw, str) or len(raw) > LONGEST_PLAUSIBLE_INPUT:
        return None
    value = raw.strip()
    if value.endswith("#"):
        value = value[:-1]
    value = _IGNORED.sub("", value)
    if len(value) != ORDER_ID_DIGITS or not value.isascii() or not value.isdigit():
        return None
    return value


def order_id_ssml(order_id: str) -> str:
    """Read digit by digit: "one two three...", never "twelve million"."""
    return f'<say-as interpret-as="digits">{order_id}</say-as>' if order_id else ""
