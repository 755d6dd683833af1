"""What plays now, for `ivr messages list` and `preview`: a message's state, and the call stage
where a message of a scope competes, so both ask `lambdas.closure_check.selection.choose` (the
closure check's own choice) rather than ranking messages a second way.

- A center message competes at call start with the other center messages.
- A flow message (`flow:main`) competes at the start of a call in that flow, with the center's.
- A queue message (`queue:ivr-dev-billing`) competes once the call has that queue: the flows then
  ask the closure check again with `scope: queue`, which weighs only that queue's messages.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lambdas.closure_check.model import Message, Window
from lambdas.closure_check.selection import choose

LIVE, SCHEDULED, EXPIRED, DISABLED = "live", "scheduled", "expired", "disabled"


def state(message: Message, now: datetime, center_tz: str) -> str:
    if not message.enabled:
        return DISABLED
    if message.window.contains(now, center_tz):
        return LIVE
    return EXPIRED if message.window.is_over(now, center_tz) else SCHEDULED


def stage(scope: str) -> dict[str, Any]:
    """The closure check's parameters at the stage where messages of `scope` (CENTER, FLOW#f, QUEUE#q) compete."""
    kind, _, name = scope.partition("#")
    if kind == "QUEUE":
        return {"queue": name, "queue_only": True}
    if kind == "FLOW":
        return {"flow": name}
    return {}


def plays_now(message: Message, messages: Sequence[Message], now: datetime, center_tz: str) -> str:
    """For a live message: "plays", or "outranked by <id>" at its own stage."""
    winner = choose(messages, now, center_tz=center_tz, **stage(message.scope)).message
    return "plays" if winner is None or winner.id == message.id else f"outranked by {winner.id}"


def window_text(window: Window, center_tz: str) -> str:
    """The window as stored, and in the center's time when it was given in another zone."""
    text = window.describe()
    if window.type == "INSTANTS" and window.time_zone != center_tz:
        own, center = ZoneInfo(window.time_zone), ZoneInfo(center_tz)
        start, end = (datetime.fromisoformat(value).replace(tzinfo=own).astimezone(center) for value in (window.start, window.end))
        text += f" (center time {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M %Z})"
    return text


def columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Lines of left-aligned columns, as wide as their widest cell; the last column is not padded."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    return ["  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]).rstrip()
            for row in [header, *rows]]
