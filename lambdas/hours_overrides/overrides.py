"""Hours-of-operation overrides that follow the CLOSE messages (issue 15): plain logic, no AWS.

A CLOSE message closes the center (scope CENTER: every hours resource of the app) or one queue
(QUEUE#<name>: the hours that queue opens with). For one hours resource, `desired` turns the
enabled CLOSE messages that apply to it into the overrides Connect should hold, and `plan` compares
them with the overrides it holds now:

- a whole-day window is one CLOSED override over its dates: DATES as written; YEARLY from its next
  occurrence, recurring every year (Connect's YEARLY recurrence on the first day's month and day);
  ALWAYS ("until disabled") from today for ALWAYS_DAYS days, renewed at every edit of a message;
- an INSTANTS window is cut at local midnights in the hours' own time zone: the days it covers
  whole are one CLOSED override; a day it covers in part gets a STANDARD override holding that
  day's regular hours outside the window (CLOSED when none are left, nothing when it misses them);
- a window that has ended makes no override, nor does a day of it that is over;
- an override is the app's when its name starts with OWNED_PREFIX; the rest of its name is the
  message id (and a part number for an INSTANTS window), so a replayed event finds the same
  override again. Overrides made in the console are never changed, but count against the limit;
- Connect holds at most MAX_OVERRIDES per hours resource (not adjustable): the nearest overrides
  (earliest first day) are kept, the later ones are deferred until an earlier one goes.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lambdas.closure_check.model import Message

OWNED_PREFIX = "ivr-message:"
MAX_OVERRIDES = 50
ALWAYS_DAYS = 366
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")  # in date.weekday() order
MINUTES_PER_DAY = 24 * 60

Slice = tuple[int, int]  # minutes after local midnight, start included, end excluded (up to MINUTES_PER_DAY)


@dataclass(frozen=True)
class Hours:
    """An hours resource as Connect describes it: its time zone and its regular open slices by day."""

    time_zone: str
    open: Mapping[str, tuple[Slice, ...]]

    @classmethod
    def from_connect(cls, described: Mapping[str, Any]) -> Hours:
        """From DescribeHoursOfOperation's `HoursOfOperation`. An end at or before the start (00:00 to
        00:00, 20:00 to 02:00) runs to midnight: what is open after midnight is not that day's."""
        slices: dict[str, list[Slice]] = {}
        for entry in described.get("Config", []):
            start, end = _minutes(entry["StartTime"]), _minutes(entry["EndTime"])
            slices.setdefault(entry["Day"], []).append((start, end if end > start else MINUTES_PER_DAY))
        return cls(described["TimeZone"], {day: tuple(sorted(found)) for day, found in slices.items()})


@dataclass(frozen=True)
class Override:
    """One override as the app wants it. `open`: what stays open on the day (a STANDARD override);
    empty: CLOSED over the dates. `yearly`: recurs every year from `first_day`."""

    name: str
    message_id: str
    first_day: date
    last_day: date
    open: tuple[tuple[str, Slice], ...] = ()
    yearly: bool = False

    def fields(self) -> dict[str, Any]:
        """The override's fields as CreateHoursOfOperationOverride and UpdateHoursOfOperationOverride take them."""
        fields: dict[str, Any] = {
            "Name": self.name,
            "Description": f"Closed by the message {self.message_id} (ivr messages); kept in step by the app",
            "Config": [{"Day": day, "StartTime": _time_slice(start), "EndTime": _time_slice(end)} for day, (start, end) in self.open],
            "EffectiveFrom": self.first_day.isoformat(),
            "EffectiveTill": self.last_day.isoformat(),
            "OverrideType": "STANDARD" if self.open else "CLOSED",
        }
        if self.yearly:
            fields["RecurrenceConfig"] = {"RecurrencePattern": {
                "Frequency": "YEARLY", "Interval": 1, "ByMonth": [self.first_day.month], "ByMonthDay": [self.first_day.day]}}
        return fields

    def matches(self, listed: Mapping[str, Any]) -> bool:
        """Whether an override ListHoursOfOperationOverrides returned already is this one."""
        return _comparable(self.fields()) == _comparable(listed)


@dataclass
class Plan:
    """What to ask Connect for one hours resource. `delete`: override ids; `update`: (id, override)."""

    delete: list[str] = field(default_factory=list)
    update: list[tuple[str, Override]] = field(default_factory=list)
    create: list[Override] = field(default_factory=list)
    deferred: list[Override] = field(default_factory=list)
    unchanged: int = 0


def applies_to(message: Message, hours_name: str, queue_hours: Mapping[str, str]) -> bool:
    """Whether the message closes the hours `hours_name`; `queue_hours`: a queue's name in Connect ->
    the name of its hours. A flow's message is played by that flow only: no hours follow it."""
    if message.scope == "CENTER":
        return True
    kind, _, queue = message.scope.partition("#")
    return kind == "QUEUE" and queue_hours.get(queue) == hours_name


def desired(messages: Iterable[Message], hours_name: str, hours: Hours, queue_hours: Mapping[str, str], now: datetime) -> list[Override]:
    """The overrides the hours should hold, nearest first."""
    wanted = [
        override
        for message in messages
        if message.effect == "CLOSE" and message.enabled and applies_to(message, hours_name, queue_hours)
        for override in overrides_of(message, hours, now)
    ]
    return sorted(wanted, key=lambda override: (override.first_day, override.name))


def overrides_of(message: Message, hours: Hours, now: datetime) -> list[Override]:
    zone = ZoneInfo(hours.time_zone)
    today = now.astimezone(zone).date()
    window, name = message.window, OWNED_PREFIX + message.id
    if window.type == "ALWAYS":
        return [Override(name, message.id, today, today + timedelta(days=ALWAYS_DAYS - 1))]
    if window.type == "DATES":
        first, last = date.fromisoformat(window.start), date.fromisoformat(window.end)
        return [] if last < today else [Override(name, message.id, max(first, today), last)]
    if window.type == "YEARLY":
        occurrence = _next_yearly(window.start, window.end or window.start, today)
        return [] if occurrence is None else [Override(name, message.id, *occurrence, yearly=True)]
    return _instants(message, hours, zone, now)


def plan(wanted: Sequence[Override], existing: Iterable[Mapping[str, Any]]) -> Plan:
    """Compare the overrides wanted (nearest first) with those the hours hold (`existing`, as listed)."""
    result = Plan()
    owned: dict[str, Mapping[str, Any]] = {}
    foreign = 0
    for listed in existing:
        name = str(listed.get("Name", ""))
        if not name.startswith(OWNED_PREFIX):
            foreign += 1
        elif name in owned:  # a second one of the same name (two edits racing): one is enough
            result.delete.append(listed["HoursOfOperationOverrideId"])
        else:
            owned[name] = listed
    room = max(0, MAX_OVERRIDES - foreign)
    kept, result.deferred = list(wanted[:room]), list(wanted[room:])
    kept_names = {override.name for override in kept}
    result.delete += [listed["HoursOfOperationOverrideId"] for name, listed in owned.items() if name not in kept_names]
    for override in kept:
        held = owned.get(override.name)
        if held is None:
            result.create.append(override)
        elif override.matches(held):
            result.unchanged += 1
        else:
            result.update.append((held["HoursOfOperationOverrideId"], override))
    return result


# --- INSTANTS windows ----------------------------------------------------------------------------


def _instants(message: Message, hours: Hours, zone: ZoneInfo, now: datetime) -> list[Override]:
    window = message.window
    given = ZoneInfo(window.time_zone)
    start = datetime.fromisoformat(window.start).replace(tzinfo=given).astimezone(zone)
    end = datetime.fromisoformat(window.end).replace(tzinfo=given).astimezone(zone)
    today = now.astimezone(zone).date()
    pieces: list[tuple[date, date, tuple[tuple[str, Slice], ...]]] = []
    day = max(start.date(), today)
    while day <= end.date():
        midnight = datetime.combine(day, time(), zone)
        next_midnight = datetime.combine(day + timedelta(days=1), time(), zone)
        closed_from, closed_until = max(start, midnight), min(end, next_midnight)
        if closed_from < closed_until:
            if closed_from == midnight and closed_until == next_midnight:
                if pieces and not pieces[-1][2] and pieces[-1][1] == day - timedelta(days=1):
                    pieces[-1] = (pieces[-1][0], day, ())  # one more whole day of the same closure
                else:
                    pieces.append((day, day, ()))
            else:
                piece = _partial_day(hours, day, _wall_minutes(closed_from), _wall_minutes(closed_until, closed_until == next_midnight))
                if piece is not None:
                    pieces.append((day, day, piece))
        day += timedelta(days=1)
    name = OWNED_PREFIX + message.id
    return [Override(f"{name}:{number}", message.id, first, last, open_)
            for number, (first, last, open_) in enumerate(pieces, start=1)]


def _partial_day(hours: Hours, day: date, closed_from: int, closed_until: int) -> tuple[tuple[str, Slice], ...] | None:
    """What stays open on `day` around the closure (empty: nothing), None when the closure misses the open hours."""
    weekday = DAYS[day.weekday()]
    regular = hours.open.get(weekday, ())
    left: list[Slice] = []
    for start, end in regular:
        if closed_until <= start or end <= closed_from:
            left.append((start, end))
            continue
        if start < closed_from:
            left.append((start, closed_from))
        if closed_until < end:
            left.append((closed_until, end))
    if tuple(left) == regular:
        return None
    return tuple((weekday, piece) for piece in left)


def _wall_minutes(moment: datetime, midnight_after: bool = False) -> int:
    return MINUTES_PER_DAY if midnight_after else moment.hour * 60 + moment.minute


# --- Helpers ---------------------------------------------------------------------------------------


def _next_yearly(start: str, end: str, today: date) -> tuple[date, date] | None:
    """The first and last day of the yearly window's occurrence that has not ended by `today`
    (a window over New Year ends the next year; 02-29 occurs in leap years only)."""
    (start_month, start_day), (end_month, end_day) = _month_day(start), _month_day(end)
    wraps = (end_month, end_day) < (start_month, start_day)
    for year in range(today.year - 1, today.year + 9):
        try:
            first, last = date(year, start_month, start_day), date(year + wraps, end_month, end_day)
        except ValueError:
            continue
        if last >= today:
            return first, last
    return None


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _minutes(time_slice: Mapping[str, int]) -> int:
    return int(time_slice["Hours"]) * 60 + int(time_slice["Minutes"])


def _time_slice(minutes: int) -> dict[str, int]:
    """Connect's time of day; midnight at the end of a slice is 00:00, as in Connect's own hours."""
    minutes %= MINUTES_PER_DAY
    return {"Hours": minutes // 60, "Minutes": minutes % 60}


def _comparable(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the app sets, in one order, with empty lists left out (Connect may return them)."""
    pattern = {key: value for key, value in (fields.get("RecurrenceConfig") or {}).get("RecurrencePattern", {}).items() if value != []}
    return {
        "Description": fields.get("Description", ""),
        "Config": sorted((entry["Day"], _minutes(entry["StartTime"]), _minutes(entry["EndTime"])) for entry in fields.get("Config", [])),
        "EffectiveFrom": fields.get("EffectiveFrom"),
        "EffectiveTill": fields.get("EffectiveTill"),
        "OverrideType": fields.get("OverrideType"),
        "RecurrencePattern": pattern,
    }
