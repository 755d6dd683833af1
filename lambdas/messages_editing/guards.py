"""Guard rails (issue 18): what an edit would do that an operator at 3 am may not mean.

Each check returns a one-line reason; `ivr messages` prints them and writes only with `--yes`
(or a "y" at a terminal). An edit is warned about only for what it changes: updating the text of
a message whose window is over says nothing about the window.
"""
from __future__ import annotations

from datetime import datetime

from lambdas.closure_check.model import Message
from lambdas.messages_editing.center import Center


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
    return found


def new_concerns(before: Message | None, after: Message | None, center: Center, now: datetime) -> list[str]:
    """The concerns of `after` that `before` did not already have."""
    already = set(concerns(before, center, now))
    return [concern for concern in concerns(after, center, now) if concern not in already]
