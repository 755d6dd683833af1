"""When the center opens again (MSG-5): computed from the hours of operation and the closures, never typed.

A message's text may hold REOPENING_PLACEHOLDER ("{reopening}"); the closure check replaces it with
the first moment, after the call, at which the hours are open and no closing message applies,
spoken in the caller's language in the center's time zone: "tomorrow at 8 AM", "on Monday at
8 AM", "on Monday, December 28 at 8 AM". The hours are the ones the app creates (cdk.json
`flows.opening_hours`), given to the Lambda as OPENING_HOURS_ENV; without them, or with no opening
in the next year, the placeholder says "during our regular hours".

Plain Python, shared by the Lambda, `ivr messages` (preview, guards) and the simulator.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lambdas.closure_check.model import Message

REOPENING_PLACEHOLDER = "{reopening}"
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
HORIZON_DAYS = 400  # a closure longer than a year is not a reopening anyone can announce

# Weekday -> (opening, closing), local times; a day left out is closed.
OpeningHours = Mapping[str, tuple[time, time]]


def parse_hours(value: str) -> OpeningHours | None:
    """OPENING_HOURS_ENV's JSON ({"MONDAY": "08:00-20:00", ...}); None when absent or unreadable."""
    try:
        spans = json.loads(value) if value else None
        if not isinstance(spans, dict):
            return None
        return opening_hours({day: (span[:5], span[6:]) for day, span in spans.items()})
    except (ValueError, TypeError, IndexError):
        return None


def opening_hours(spans: Mapping[str, tuple[str, str]]) -> OpeningHours | None:
    """The configuration's {"MONDAY": ("08:00", "20:00")} as times; None when no day is open (ValueError for a bad time)."""
    hours = {day: (time.fromisoformat(start), time.fromisoformat(end)) for day, (start, end) in spans.items()}
    return {day: span for day, span in hours.items() if day in WEEKDAYS and span[0] < span[1]} or None


def hours_json(spans: Mapping[str, tuple[str, str]]) -> str:
    """OPENING_HOURS_ENV's value from the configuration's {"MONDAY": ("08:00", "20:00")}."""
    return json.dumps({day: f"{start}-{end}" for day, (start, end) in spans.items()}, sort_keys=True, separators=(",", ":"))


def is_open(hours: OpeningHours, at: datetime, zone: ZoneInfo) -> bool:
    local = at.astimezone(zone)
    span = hours.get(WEEKDAYS[local.weekday()])
    return span is not None and span[0] <= local.time().replace(tzinfo=None) < span[1]


def next_opening(hours: OpeningHours, closures: Iterable[Message], at: datetime, center_tz: str) -> datetime | None:
    """The first instant after `at` when the hours are open and none of `closures` applies."""
    zone = ZoneInfo(center_tz)
    closing = [m for m in closures if m.enabled and m.effect == "CLOSE"]
    if any(m.window.type == "ALWAYS" for m in closing):
        return None  # closed until someone disables it: no day to announce

    def closed_by_message(moment: datetime) -> bool:
        return any(m.window.contains(moment, center_tz) for m in closing)

    # Candidates, day by day: the day's opening, and the end of a timed closure (the center may reopen mid-day).
    ends = [datetime.fromisoformat(m.window.end).replace(tzinfo=ZoneInfo(m.window.time_zone or center_tz))
            for m in closing if m.window.type == "INSTANTS"]
    today = at.astimezone(zone).date()
    for day in (today + timedelta(days=n) for n in range(HORIZON_DAYS)):
        span = hours.get(WEEKDAYS[day.weekday()])
        candidates = [datetime.combine(day, span[0], zone)] if span else []
        candidates += [end for end in ends if end.astimezone(zone).date() == day]
        for moment in sorted(c for c in candidates if c > at):
            if is_open(hours, moment, zone) and not closed_by_message(moment):
                return moment
    return None


def spoken(moment: datetime | None, at: datetime, center_tz: str, language: str) -> str:
    """`moment` as a caller hears it after "opens again", relative to the call at `at`."""
    spanish = language.startswith("es")
    if moment is None:
        return "en nuestro horario habitual" if spanish else "during our regular hours"
    zone = ZoneInfo(center_tz)
    local, day = moment.astimezone(zone), at.astimezone(zone).date()
    return _spanish(local, day) if spanish else _english(local, day)


def fill(text: str, reopening: str) -> str:
    return text.replace(REOPENING_PLACEHOLDER, reopening)


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
_ES_DAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_ES_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre")


def _english(local: datetime, today: date) -> str:
    hour = local.hour % 12 or 12
    clock = f"{hour}" if local.minute == 0 else f"{hour}:{local:%M}"
    at = f"at {clock} {'AM' if local.hour < 12 else 'PM'}"
    days = (local.date() - today).days
    weekday = WEEKDAYS[local.weekday()].title()
    if days == 0:
        return f"today {at}"
    if days == 1:
        return f"tomorrow {at}"
    if days < 7:
        return f"on {weekday} {at}"
    return f"on {weekday}, {_EN_MONTHS[local.month - 1]} {local.day} {at}"


def _spanish(local: datetime, today: date) -> str:
    hour = local.hour % 12 or 12
    clock = f"{hour}" if local.minute == 0 else f"{hour}:{local:%M}"
    part = "de la mañana" if local.hour < 12 else "de la tarde" if local.hour < 20 else "de la noche"
    at = f"{'a la' if hour == 1 else 'a las'} {clock} {part}"
    days = (local.date() - today).days
    weekday = _ES_DAYS[local.weekday()]
    if days == 0:
        return f"hoy {at}"
    if days == 1:
        return f"mañana {at}"
    if days < 7:
        return f"el {weekday} {at}"
    return f"el {weekday} {local.day} de {_ES_MONTHS[local.month - 1]} {at}"
