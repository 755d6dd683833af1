"""What editing messages needs to know about the contact center: its time zone, its languages, and
the queues and flows a message may be scoped to. `ivr messages` reads it from the repository
(ivr/messages/center.py); the operators' page API from its environment (CENTER_ENV, set by the stack)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lambdas.closure_check.model import MessageError

CENTER_ENV = "MESSAGES_CENTER"  # JSON: {"time_zone": ..., "languages": [...], "queues": [...], "flows": [...]}


@dataclass(frozen=True)
class Center:
    time_zone: str
    languages: tuple[str, ...]
    queues: frozenset[str]  # names in Connect, as queue scopes use them (ivr-dev-billing)
    flows: frozenset[str]  # the flows' names, as flow scopes use them (main)

    @classmethod
    def of(cls, time_zone: str, languages: Iterable[str], queues: Iterable[str], flows: Iterable[str]) -> Center:
        return cls(time_zone, tuple(languages), frozenset(queues), frozenset(flows))

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
        return Center(name, self.languages, self.queues, self.flows)

    def to_json(self) -> str:
        return json.dumps({"time_zone": self.time_zone, "languages": list(self.languages),
                           "queues": sorted(self.queues), "flows": sorted(self.flows)}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Center:
        data = json.loads(text)
        return cls.of(data["time_zone"], data["languages"], data["queues"], data["flows"])
