"""Holiday and emergency messages (MSG-1): the one model of a message and its checks.

The closure-check Lambda, the `ivr messages` command (preview, apply) and the local simulator all
import this module, so one piece of code decides what a valid message is. It is plain Python.
What a caller hears is chosen in `selection`; a message's DynamoDB item is read and written in `items`.

A message:
- `scope`: CENTER (every call), QUEUE#<queue name> or FLOW#<flow name>.
- `kind`: EMERGENCY beats HOLIDAY beats ANNOUNCEMENT; then higher `priority`; then the most
  recently updated.
- `effect`: CLOSE (play, then after-hours handling) or ANNOUNCE (play, then continue).
- `window`: when it applies. ALWAYS (until disabled); INSTANTS from `start` to `end` (local
  date-times in `time_zone`, an IANA name; end excluded); DATES from `start` to `end` (whole days,
  both included, in `time_zone` or the center's time zone when empty); YEARLY from `start` to `end`
  (MM-DD, whole days every year, may wrap over New Year). Whole days follow the local calendar,
  so a 23- or 25-hour DST day is still one day. A local time that does not exist or exists twice
  at a DST change is read with its first UTC offset.
- `texts`: language code -> plain text, or SSML when it starts with "<" (must be a <speak> document).
- `enabled`, `priority`, `updated_by`, `updated_at` (UTC, ISO 8601), `version` (1, 2, ... ; every
  write is conditional on it).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

KINDS = ("EMERGENCY", "HOLIDAY", "ANNOUNCEMENT")  # in order of precedence
EFFECTS = ("CLOSE", "ANNOUNCE")
WINDOW_TYPES = ("ALWAYS", "INSTANTS", "DATES", "YEARLY")
SCOPE_TYPES = ("CENTER", "QUEUE", "FLOW")

# Amazon Polly (which speaks Connect's prompts) refuses more than 3000 billed characters and
# 6000 characters in all; a prompt that long is already far too long for a caller.
MAX_SPOKEN_CHARS = 3000
MAX_SSML_CHARS = 6000
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_NAME = re.compile(r"[^#\s][^#]{0,126}")
# Languages Amazon Connect can speak (Amazon Polly's language codes).
LANGUAGES = frozenset([
    "arb", "ar-AE", "ca-ES", "cmn-CN", "cs-CZ", "cy-GB", "da-DK", "de-AT", "de-CH", "de-DE", "en-AU", "en-GB",
    "en-GB-WLS", "en-IE", "en-IN", "en-NZ", "en-SG", "en-US", "en-ZA", "es-ES", "es-MX", "es-US", "fi-FI",
    "fr-BE", "fr-CA", "fr-FR", "hi-IN", "is-IS", "it-IT", "ja-JP", "ko-KR", "nb-NO", "nl-BE", "nl-NL",
    "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sv-SE", "tr-TR", "yue-CN",
])


class MessageError(ValueError):
    """A message that must not be stored; the text is one line an operator can act on."""


@dataclass(frozen=True)
class Window:
    type: str = "ALWAYS"
    start: str = ""
    end: str = ""
    time_zone: str = ""  # "" = the center's time zone (DATES, YEARLY)

    def contains(self, at: datetime, center_tz: str) -> bool:
        """Whether the aware instant `at` falls in the window."""
        if self.type == "ALWAYS":
            return True
        tz = ZoneInfo(self.time_zone or center_tz)
        if self.type == "INSTANTS":
            return _local(self.start, tz) <= at < _local(self.end, tz)
        day = at.astimezone(tz).date()
        if self.type == "DATES":
            return date.fromisoformat(self.start) <= day <= date.fromisoformat(self.end)
        month_day, start, end = (day.month, day.day), _month_day(self.start), _month_day(self.end or self.start)
        return start <= month_day <= end if start <= end else month_day >= start or month_day <= end

    def is_over(self, at: datetime, center_tz: str) -> bool:
        """Whether the window has ended for good by the aware instant `at` (a yearly one never has)."""
        if self.type == "INSTANTS":
            return at >= _local(self.end, ZoneInfo(self.time_zone or center_tz))
        if self.type == "DATES":
            return at.astimezone(ZoneInfo(self.time_zone or center_tz)).date() > date.fromisoformat(self.end)
        return False

    def describe(self) -> str:
        zone = f" {self.time_zone}" if self.time_zone else ""
        if self.type == "ALWAYS":
            return "always (until disabled)"
        if self.type == "INSTANTS":
            return f"{self.start} to {self.end}{zone}"
        if self.type == "DATES":
            return f"all day {self.start} to {self.end}{zone or ' (center time)'}"
        return f"every year {self.start}" + (f" to {self.end}" if self.end and self.end != self.start else "") + (zone or " (center time)")


@dataclass(frozen=True)
class Message:
    id: str
    scope: str
    kind: str
    effect: str
    texts: Mapping[str, str]
    window: Window = field(default_factory=Window)
    priority: int = 0
    enabled: bool = True
    updated_by: str = ""
    updated_at: str = ""
    version: int = 0

    def content(self) -> dict[str, Any]:
        """What an operator edits (no audit fields): apply compares these to find changes."""
        data = asdict(self)
        for audit in ("updated_by", "updated_at", "version"):
            data.pop(audit)
        data["texts"] = dict(self.texts)
        return data

    def with_audit(self, *, by: str, at: str, version: int) -> Message:
        return replace(self, updated_by=by, updated_at=at, version=version)



# --- Validation ------------------------------------------------------------------------------


def normalize_scope(value: Any) -> str:
    """`center`, `queue:Billing`, `QUEUE#Billing`, `flow:Main` -> CENTER, QUEUE#Billing, FLOW#Main."""
    if not isinstance(value, str) or not value.strip():
        raise MessageError("scope must be 'center', 'queue:<queue name>' or 'flow:<flow name>'")
    head, sep, name = value.strip().replace(":", "#", 1).partition("#")
    head = head.upper()
    if head == "CENTER" and not sep:
        return "CENTER"
    if head in ("QUEUE", "FLOW") and _NAME.fullmatch(name.strip()):
        return f"{head}#{name.strip()}"
    raise MessageError(f"scope {value!r} must be 'center', 'queue:<queue name>' or 'flow:<flow name>'")


def validate(message: Message) -> Message:
    """The message, or MessageError naming the first thing wrong."""
    if not isinstance(message.id, str) or not _ID.fullmatch(message.id):
        raise MessageError(f"id {message.id!r} must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit")
    where = f"message {message.id}"
    normalize_scope(message.scope)
    if message.kind not in KINDS:
        raise MessageError(f"{where}: kind {message.kind!r} must be one of {', '.join(KINDS)}")
    if message.effect not in EFFECTS:
        raise MessageError(f"{where}: effect {message.effect!r} must be one of {', '.join(EFFECTS)}")
    if isinstance(message.priority, bool) or not isinstance(message.priority, int) or not -1000 <= message.priority <= 1000:
        raise MessageError(f"{where}: priority must be a whole number from -1000 to 1000, got {message.priority!r}")
    if not isinstance(message.enabled, bool):
        raise MessageError(f"{where}: enabled must be true or false, got {message.enabled!r}")
    _validate_window(message.window, where)
    if not message.texts:
        raise MessageError(f"{where}: give a text in at least one language")
    for language, text in message.texts.items():
        if language not in LANGUAGES:
            raise MessageError(f"{where}: unknown language code {language!r} (expected one Amazon Connect speaks, like en-US or es-US)")
        validate_text(text, f"{where} [{language}]")
    return message


def validate_text(text: Any, where: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise MessageError(f"{where}: text is empty")
    spoken = text
    if is_ssml(text):
        from xml.etree import ElementTree

        try:
            root = ElementTree.fromstring(text.strip())
        except ElementTree.ParseError as problem:
            raise MessageError(f"{where}: SSML is not well-formed XML ({problem})") from None
        if root.tag != "speak":
            raise MessageError(f"{where}: SSML must have <speak> as its root element, got <{root.tag}>")
        spoken = "".join(root.itertext())
        if not spoken.strip():
            raise MessageError(f"{where}: SSML says nothing (no text inside <speak>)")
    if len(spoken) > MAX_SPOKEN_CHARS or len(to_ssml(text)) > MAX_SSML_CHARS:
        raise MessageError(
            f"{where}: text too long for a prompt ({len(spoken)} spoken characters; at most {MAX_SPOKEN_CHARS}, "
            f"and {MAX_SSML_CHARS} with SSML tags)"
        )


def _validate_window(window: Window, where: str) -> None:
    if window.type not in WINDOW_TYPES:
        raise MessageError(f"{where}: window type {window.type!r} must be one of {', '.join(WINDOW_TYPES)}")
    if window.time_zone:
        try:
            ZoneInfo(window.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise MessageError(f"{where}: unknown time zone {window.time_zone!r} (expected an IANA name like America/New_York)") from None
    if window.type == "INSTANTS" and not window.time_zone:
        raise MessageError(f"{where}: a window with start and end times needs a time_zone (IANA name like America/New_York)")
    try:
        if window.type == "INSTANTS":
            zone = ZoneInfo(window.time_zone)
            in_order = _local(window.start, zone) < _local(window.end, zone)
        elif window.type == "DATES":
            in_order = date.fromisoformat(window.start) <= date.fromisoformat(window.end)
        elif window.type == "YEARLY":
            _month_day(window.start), _month_day(window.end or window.start)
            return  # a yearly range may wrap over New Year (12-24 to 01-02)
        else:
            return
    except (ValueError, TypeError) as problem:
        raise MessageError(f"{where}: window {window.start!r} to {window.end!r} is not valid ({problem})") from None
    if not in_order:
        raise MessageError(f"{where}: window ends ({window.end}) before it starts ({window.start})")


def _local(value: str, tz: ZoneInfo) -> datetime:
    """A local date-time (no offset) in `tz`; fold=0 picks the first offset at a DST change."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError(f"{value!r} must be a local time without an offset; the window's time_zone gives the offset")
    return moment.replace(tzinfo=tz)


def _month_day(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2})-(\d{2})", value or "")
    if not match:
        raise ValueError(f"{value!r} is not a yearly date MM-DD like 12-25")
    month, day = int(match[1]), int(match[2])
    date(2024, month, day)  # a leap year, so 02-29 is accepted (it then applies in leap years only)
    return month, day



# --- Text: plain or SSML ---------------------------------------------------------------------


def is_ssml(text: str) -> bool:
    return text.lstrip().startswith("<")


def to_ssml(text: str) -> str:
    """Always SSML: stored SSML as is, plain text escaped and wrapped in <speak>."""
    return text.strip() if is_ssml(text) else f"<speak>{escape(text.strip(), quote=False)}</speak>"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
