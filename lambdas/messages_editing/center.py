"""What editing messages needs to know about the contact center: its time zone, its languages, and
the queues and flows a message may be scoped to. `ivr messages` reads it from the repository
(ivr/messages/center.py); the operators' page API from its environment (CENTER_ENV, set by the stack)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lambdas.closure_check.model import MessageError

CENTER_ENV = "MESSAGES_CENTER"  # JSON: {"time_zone": ..., "languages": [...], "queues": [...], "flows": [...], "opening_hours": {...}}


@dataclass(frozen=True)
class Center:
    time_zone: str
    languages: tuple[str, ...]
    queues: frozenset[str]  # names in Connect, as queue scopes use them (ivr-dev-billing)
    flows: frozenset[str]  # the flows' names, as flow scopes use them (main)
    # The hours the app creates (weekday -> opening, closing "HH:MM"); empty when Connect's hours are given by ARN.
    opening_hours: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, time_zone: str, languages: Iterable[str], queues: Iterable[str], flows: Iterable[str],
           opening_hours: Mapping[str, Iterable[str]] | None = None) -> Center:
        hours = {day: (str(opening), str(closing)) for day, (opening, closing) in (opening_hours or {}).items()}
        return cls(time_zone, tuple(languages), frozenset(queues), frozenset(flows), hours)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def with_time_zone(self, name: str | None) -> Center:
        """This center seen from another time zone (--time-zone); MessageError for an unknown one."""
        if not name:
            return self
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise MessageError(f"unknown time zone {name!r} (expected an IANA name like America/New_York)") from None
        return replace(self, time_zone=name)

    def to_json(self) -> str:
        return json.dumps({"time_zone": self.time_zone, "languages": list(self.languages),
                           "queues": sorted(self.queues), "flows": sorted(self.flows),
                           "opening_hours": {day: list(span) for day, span in self.opening_hours.items()}},
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Center:
        data = json.loads(text)
        return cls.of(data["time_zone"], data["languages"], data["queues"], data["flows"], data.get("opening_hours"))
