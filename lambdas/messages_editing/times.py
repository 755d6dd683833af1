"""Times as an operator says them at 3 am: `now`, `+2h` / `+30m` / `+1d`, or a local date-time.

A local time (no offset) is in the given time zone, which is the center's (cdk.json `time_zone`)
unless the operator names another; a time with an offset or `Z` is taken as it is. A relative
time counts from a base: the window's start for `--end`, now for `--start` and `--at`.
Everything here is plain: the caller passes "now", so tests and callers agree on one instant.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lambdas.closure_check.model import MessageError, Window

_RELATIVE = re.compile(r"\+\s*(\d{1,5})\s*([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
_YEARLY = re.compile(r"\d{2}-\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMS = "now, +2h / +30m / +1d, or a local date-time like 2026-12-24T14:00"


def instant(text: str, *, zone: ZoneInfo, now: datetime, base: datetime | None = None, option: str = "--at") -> datetime:
    """The aware instant `text` names; MessageError (one line) when it names none."""
    value = text.strip()
    if value.lower() == "now":
        return now.astimezone(zone)
    relative = _RELATIVE.fullmatch(value)
    if relative:
        return (base or now).astimezone(zone) + timedelta(**{_UNITS[relative[2]]: int(relative[1])})
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise MessageError(f"{option} {text!r} is not a time: give {_FORMS}") from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def window(start: str | None, end: str | None, *, zone: ZoneInfo, zone_given: bool, now: datetime) -> Window:
    """The window of --start/--end: none (always), MM-DD (yearly), YYYY-MM-DD (whole days), else two
    instants kept as local minutes in `zone` (floored, so `--start now` is live at once)."""
    if not start:
        if end:
            raise MessageError("--end needs --start (now, a date or a date-time)")
        return Window()
    start = start.strip()
    if _YEARLY.fullmatch(start) or _DAY.fullmatch(start):
        if end and not (_YEARLY.fullmatch(end.strip()) or _DAY.fullmatch(end.strip())):
            raise MessageError(f"--start {start} is a whole day, so --end must be one too (the last day, included), got {end!r}")
        last = (end or start).strip()
        kind = "YEARLY" if _YEARLY.fullmatch(start) else "DATES"
        return Window(type=kind, start=start, end=last, time_zone=zone.key if zone_given else "")
    begins = instant(start, zone=zone, now=now, option="--start")
    if not end:
        raise MessageError(f"--start {start} needs --end: an end time like 2026-12-24T17:00, or +2h / +30m / +1d from the start")
    ends = instant(end, zone=zone, now=now, base=begins, option="--end")
    return Window(type="INSTANTS", start=_minutes(begins), end=_minutes(ends), time_zone=zone.key)


def _minutes(moment: datetime) -> str:
    return moment.replace(second=0, microsecond=0, tzinfo=None).isoformat(timespec="minutes")
