"""Hours of operation for a local call, checked against the simulated clock.

Connect keeps hours in the instance; the simulator takes them from the configuration
(`flows.opening_hours` in cdk.json, the hours the app creates), and otherwise uses
`default_hours` (Monday to Friday, 08:00 to 18:00 in the configured time zone).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass(frozen=True)
class Hours:
    """Opening periods per weekday, in one time zone."""

    name: str
    time_zone: str
    periods: Mapping[str, tuple[tuple[time, time], ...]] = field(default_factory=dict)

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(ZoneInfo(self.time_zone))
        now = local.time().replace(tzinfo=None)
        for start, end in self.periods.get(DAYS[local.weekday()], ()):
            if end <= start:  # through midnight, or 00:00-00:00 for the whole day
                if now >= start or now < end or start == end:
                    return True
            elif start <= now < end:
                return True
        return False

    def describe(self) -> str:
        parts = []
        for day in DAYS:
            spans = self.periods.get(day, ())
            if spans:
                parts.append(f"{day[:3].title()} " + ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in spans))
        return f"{self.name}: " + ("; ".join(parts) or "always closed") + f" ({self.time_zone})"


def default_hours(name: str, time_zone: str) -> Hours:
    weekday = ((time(8, 0), time(18, 0)),)
    return Hours(name, time_zone, {day: weekday for day in DAYS[:5]})


def hours_from_config(name: str, spec: Any, time_zone: str) -> Hours | None:
    """Hours from {"MONDAY": [["08:00", "18:00"]], ...} (or {"time_zone": ..., "days": {...}});
    None when nothing usable is there."""
    if not isinstance(spec, Mapping):
        return None
    zone = spec.get("time_zone") or time_zone
    days = spec.get("days") or spec
    periods: dict[str, tuple[tuple[time, time], ...]] = {}
    for day, spans in days.items() if isinstance(days, Mapping) else ():
        matches = [d for d in DAYS if d.startswith(str(day).upper()[:3])]
        if not matches:
            continue
        if isinstance(spans, (list, tuple)) and len(spans) == 2 and all(isinstance(s, (str, time)) for s in spans):
            spans = [spans]
        parsed = []
        for span in spans or ():
            try:
                start, end = (s if isinstance(s, time) else time.fromisoformat(str(s)) for s in span)
            except (TypeError, ValueError):
                continue
            parsed.append((start, end))
        periods[matches[0]] = tuple(parsed)
    return Hours(name, zone, periods) if periods else None
