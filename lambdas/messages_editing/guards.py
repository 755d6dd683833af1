"""Guard rails (issue 18): what an edit would do that an operator at 3 am may not mean.

Each check returns a one-line reason; `ivr messages` prints them and writes only with `--yes`
(or a "y" at a terminal). An edit is warned about only for what it changes: updating the text of
a message whose window is over says nothing about the window.
"""
from __future__ import annotations

import re
from datetime import datetime

from lambdas.closure_check.model import Message
from lambdas.closure_check.reopening import REOPENING_PLACEHOLDER, WEEKDAYS
from lambdas.messages_editing.center import Center

# Weekday names as the texts write them (English, Spanish), and clock times like "8 AM", "8:30 p.m.".
_DAY_NAMES = {day: (day.title(), spanish) for day, spanish in zip(WEEKDAYS, (
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"), strict=True)}
# A day or time is checked when it says when we open: an opening word shortly before it.
_OPENING_WORDS = re.compile(r"\b(open|opens|reopen|reopens|back|abre|abrimos|volvemos|de nuevo)\b", re.IGNORECASE)
_CLOCK = re.compile(r"\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*([ap])\.?\s*m\b\.?", re.IGNORECASE)


def concerns(message: Message | None, center: Center, now: datetime) -> list[str]:
    """Why storing `message` (None: deleting it) may not be what the operator means."""
    if message is None:
        return []
    found = []
    if message.enabled and message.window.is_over(now, center.time_zone):
        found.append(f"{message.id}: its window ({message.window.describe()}) is over already, so it will never play")
    if message.enabled and message.effect == "CLOSE" and message.kind != "EMERGENCY" and message.window.type == "ALWAYS":
        found.append(f"{message.id}: a {message.kind} that closes with no window closes the center now and until someone "
                     "disables it; give --start and --end")
    kind, _, name = message.scope.partition("#")
    known = {"QUEUE": center.queues, "FLOW": center.flows}.get(kind)
    if known is not None and name not in known:
        found.append(f"{message.id}: this app has no {kind.lower()} {name!r} (it has {', '.join(sorted(known))}), so it will never play")
    for language in message.texts:
        if language not in center.languages:
            found.append(f"{message.id}: language {language} is not one of cdk.json languages ({', '.join(center.languages)})")
    found.extend(contradicted_hours(message, center))
    return found


def contradicted_hours(message: Message, center: Center) -> list[str]:
    """A day or time the text gives as when we open that the hours contradict (MSG-5): a day the
    center is closed, or a time at which it is never open. "{reopening}" says it right whatever the hours."""
    hours = center.opening_hours
    if not hours:
        return []
    hint = f"; say {REOPENING_PLACEHOLDER} and the closure check says when we open again"
    found = []
    for language, text in message.texts.items():
        for day, names in _DAY_NAMES.items():
            named = next((found[0] for name in names for found in re.finditer(rf"\b{name}\b", text, re.IGNORECASE)
                          if _says_opening(text, found.start())), None)
            if named and day not in hours:
                found.append(f"{message.id} [{language}]: the text says {named!r}, but the center is closed on "
                             f"{day.title()}s{hint}")
        for clock in (found for found in _CLOCK.finditer(text) if _says_opening(text, found.start())):
            hour = int(clock[1]) % 12 + (12 if clock[3].lower() == "p" else 0)
            said = f"{hour:02d}:{clock[2] or '00'}"
            if not any(start <= said <= end for start, end in hours.values()):
                found.append(f"{message.id} [{language}]: the text says {clock[0].strip().rstrip('.')!r}, but the center is never "
                             f"open then{hint}")
    return found


def new_concerns(before: Message | None, after: Message | None, center: Center, now: datetime) -> list[str]:
    """The concerns of `after` that `before` did not already have."""
    already = set(concerns(before, center, now))
    return [concern for concern in concerns(after, center, now) if concern not in already]


def _says_opening(text: str, position: int) -> bool:
    return bool(_OPENING_WORDS.search(text[max(0, position - 40):position]))
