"""The answer a function gives Connect: a flat map of strings, read by flows as `$.External.<key>`."""
from __future__ import annotations

from typing import Any

# Connect rejects a response over 32 KB of UTF-8; stay well below it.
MAX_RESPONSE_BYTES = 30_000


def flat_response(result: str, **fields: Any) -> dict[str, str]:
    """`result` is what the flow branches on; every other field becomes a string.

    Booleans become "true"/"false" (the flow compares strings), None becomes "".
    """
    response = {"result": result}
    for key, value in fields.items():
        response[key] = _as_flow_string(value)
    size = sum(len(k.encode()) + len(v.encode()) for k, v in response.items())
    if size > MAX_RESPONSE_BYTES:
        raise ValueError(f"response of {size} bytes exceeds Connect's limit")
    return response


def _as_flow_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
