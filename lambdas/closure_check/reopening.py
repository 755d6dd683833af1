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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from lambdas.closure_check.model import Message
from lambdas.common.languages import is_spanish

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
    words = _SPANISH if is_spanish(language) else _ENGLISH
    if moment is None:
        return words.regular_hours
    zone = ZoneInfo(center_tz)
    local = moment.astimezone(zone)
    days = (local.date() - at.astimezone(zone).date()).days
    phrase = words.today if days == 0 else words.tomorrow if days == 1 else words.this_week if days < 7 else words.later
    return phrase.format(at=words.at(local), weekday=words.weekdays[local.weekday()],
                         month=words.months[local.month - 1], day=local.day)


def fill(text: str, reopening: str) -> str:
    return text.replace(REOPENING_PLACEHOLDER, reopening)


@dataclass(frozen=True)
class _Words:
    """How one language says a reopening: phrases with {at}, {weekday}, {month} and {day}."""

    regular_hours: str
    today: str
    tomorrow: str
    this_week: str
    later: str
    at: Callable[[datetime], str]  # "at 8 AM"
    weekdays: tuple[str, ...]
    months: tuple[str, ...]


def _clock(local: datetime) -> str:
    hour = local.hour % 12 or 12
    return f"{hour}" if local.minute == 0 else f"{hour}:{local:%M}"


def _english_at(local: datetime) -> str:
    return f"at {_clock(local)} {'AM' if local.hour < 12 else 'PM'}"


def _spanish_at(local: datetime) -> str:
    part = "de la mañana" if local.hour < 12 else "de la tarde" if local.hour < 20 else "de la noche"
    return f"{'a la' if local.hour % 12 == 1 else 'a las'} {_clock(local)} {part}"


_ENGLISH = _Words(
    regular_hours="during our regular hours", today="today {at}", tomorrow="tomorrow {at}",
    this_week="on {weekday} {at}", later="on {weekday}, {month} {day} {at}", at=_english_at,
    weekdays=tuple(day.title() for day in WEEKDAYS),
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"))
_SPANISH = _Words(
    regular_hours="en nuestro horario habitual", today="hoy {at}", tomorrow="mañana {at}",
    this_week="el {weekday} {at}", later="el {weekday} {day} de {month} {at}", at=_spanish_at,
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
            "noviembre", "diciembre"))
