"""Closure check (CX-8, MSG-2): at call start the flows ask whether a holiday or emergency message plays.

Parameters: `queue` (optional; else the contact's queue), `flow` (the flow's name), `language`
(else the contact's language, else DEFAULT_LANGUAGE), `scope` (`queue`: only the messages of the
contact's queue, asked again once the call has one). Answer: `result` CLOSED | ANNOUNCE | OPEN,
`closed`, `kind`, `message` (always SSML, or ""), `message_format` (TEXT | SSML, as stored),
`message_id`, `stale` ("true" when DynamoDB failed and the last messages read were used). A message
saying "{reopening}" is told when the center opens again (`reopening`, from OPENING_HOURS_ENV).

The messages come from `messages_table` (cached, never blocking a call), the choice from
`selection`. A broken event or a bug answers OPEN with no message (Connect would retry a raise
while the caller waits).
"""
from __future__ import annotations

import os
from typing import Any

from lambdas.closure_check.environment import DEFAULT_LANGUAGE_ENV, OPENING_HOURS_ENV, TIME_ZONE_ENV
from lambdas.closure_check.messages_table import current_messages
from lambdas.closure_check.model import utc_now
from lambdas.closure_check.reopening import parse_hours
from lambdas.closure_check.selection import Choice, answer, choose
from lambdas.common.connect_event import ContactEvent, Reads
from lambdas.common.contact_flow_handler import contact_flow_handler
from lambdas.common.deadline import Deadline
from lambdas.common.responses import flat_response

# The flows pass a queue or flow name, a language tag and a scope word; a longer value is refused
# (answered OPEN with no message, like any input the closure check cannot use).
READS = Reads(parameters={"queue": 1024, "flow": 1024, "language": 1024, "scope": 1024}, attributes={"language": 1024})


DEFAULT_BUDGET_MS = 1500  # the deadline when DIP_BUDGET_MS is missing or broken

def _answer(choice: Choice, *, stale: bool = False) -> dict[str, str]:
    return flat_response(choice.result, **answer(choice), stale=stale)


def _open(kind: str) -> dict[str, str]:
    return _answer(Choice(None, closed=False))


@contact_flow_handler(failed=_open, reads=READS, logged=("kind", "message_id", "stale"), default_budget_ms=DEFAULT_BUDGET_MS)
def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
    messages, stale = current_messages()  # the DynamoDB client's timeouts keep the budget
    default_language = os.environ.get(DEFAULT_LANGUAGE_ENV, "en-US")
    choice = choose(
        messages,
        utc_now(),
        queue=contact.parameter("queue") or contact.queue_name or "",
        flow=contact.parameter("flow"),
        language=contact.parameter("language") or contact.language or default_language,
        default_language=default_language,
        center_tz=os.environ.get(TIME_ZONE_ENV, "UTC"),
        queue_only=contact.parameter("scope").strip().lower() == "queue",
        hours=parse_hours(os.environ.get(OPENING_HOURS_ENV, "")),
    )
    return _answer(choice, stale=stale)
