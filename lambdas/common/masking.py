"""Masking of personal data before it reaches a log line (SEC-3)."""
from __future__ import annotations


def mask_phone(number: str | None) -> str:
    """Keep the country prefix and last 2 digits: enough to correlate, not to call."""
    if not number:
        return ""
    digits = number.lstrip("+")
    if len(digits) <= 4:
        return "*" * len(number)
    prefix = "+" if number.startswith("+") else ""
    return f"{prefix}{digits[:1]}{'*' * (len(digits) - 3)}{digits[-2:]}"


def mask_id(value: str | None, visible: int = 2) -> str:
    """Order numbers and customer ids: keep the last `visible` characters."""
    if not value:
        return ""
    if len(value) <= visible * 2:
        return "*" * len(value)
    return "*" * (len(value) - visible) + value[-visible:]
