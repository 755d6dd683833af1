"""What a caller hears (MSG-2): the one message that plays for a call, and the closure check's answer.

Among the enabled messages whose scope matches the call (the center, the call's flow, its queue)
and whose window holds the instant of the call:
- `kind`: EMERGENCY beats HOLIDAY beats ANNOUNCEMENT; then higher `priority`; then the most
  recently updated.
- the call is CLOSED if any of them closes. If a message that only announces outranks one that
  closes, the caller hears the higher-ranked message and the call is still CLOSED: an announcement
  never reopens a closed center.
- the language: the caller's, else the default language, else the message's first.
- "{reopening}" in the text says when the center opens again (`reopening`), from `hours` and the
  closures of the call's scopes.

The closure-check Lambda and `ivr messages preview` both choose with this module.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lambdas.closure_check.model import KINDS, Message, is_ssml, to_ssml
from lambdas.closure_check.reopening import REOPENING_PLACEHOLDER, OpeningHours, fill, next_opening, spoken


@dataclass(frozen=True)
class Choice:
    """What a caller hears: the winning message, and whether the center is closed for this call."""

    message: Message | None
    closed: bool
    language: str = ""
    reopening: str = ""  # when the center opens again, spoken in `language` (only for a text that says it)

    @property
    def result(self) -> str:
        return "CLOSED" if self.closed else "ANNOUNCE" if self.message else "OPEN"



def choose(
    messages: Iterable[Message],
    at: datetime,
    *,
    queue: str = "",
    flow: str = "",
    language: str = "",
    default_language: str = "en-US",
    center_tz: str = "UTC",
    queue_only: bool = False,
    hours: OpeningHours | None = None,
) -> Choice:
    """The message a caller of `queue` / `flow` hears at the aware instant `at`, if any;
    `queue_only`: only the messages scoped to `queue` (asked once the call has its queue, after
    the call-start check has played the center's and the flow's)."""
    messages = list(messages)
    queue_scope = {f"QUEUE#{queue}"} if queue else set()
    scopes = queue_scope if queue_only else {"CENTER"} | queue_scope | ({f"FLOW#{flow}"} if flow else set())
    active = [m for m in messages if m.enabled and m.scope in scopes and m.window.contains(at, center_tz)]
    if not active:
        return Choice(None, closed=False)
    # Kind precedence, then higher priority; among equals the most recent update wins (min keeps the first).
    by_recency = sorted(active, key=lambda m: (m.updated_at, m.id), reverse=True)
    winner = min(by_recency, key=lambda m: (KINDS.index(m.kind), -m.priority))
    closed = any(m.effect == "CLOSE" for m in active)
    language = language if language in winner.texts else default_language if default_language in winner.texts else min(winner.texts)
    reopening = ""
    if REOPENING_PLACEHOLDER in winner.texts[language]:
        # The closures of every scope of the call count, whichever stage asks: the queue reopens when the center does.
        closures = [m for m in messages if m.scope in {"CENTER"} | queue_scope | ({f"FLOW#{flow}"} if flow else set())]
        opens = next_opening(hours, closures, at, center_tz) if hours else None
        reopening = spoken(opens, at, center_tz, language)
    return Choice(winner, closed=closed, language=language, reopening=reopening)


def answer(choice: Choice) -> dict[str, Any]:
    """The closure check's answer fields (all but `stale`), as in the flows' contract."""
    message = choice.message
    if message is None:
        return {"closed": False, "kind": "", "message": "", "message_format": "", "message_id": ""}
    text = fill(message.texts[choice.language], choice.reopening)
    return {
        "closed": choice.closed,
        "kind": message.kind,
        "message": to_ssml(text),
        "message_format": "SSML" if is_ssml(text) else "TEXT",
        "message_id": message.id,
    }
