"""Holiday and emergency messages (MSG-1): the one model of a message, its checks, and what a caller hears.

The closure-check Lambda, the `ivr messages` command (preview, apply) and the local simulator all
import this module, so one piece of code decides what plays. It is plain Python (no boto3) and
reads and writes DynamoDB's low-level attribute format itself, so the Lambda needs only botocore.

Table layout (one table, two item types, key `pk` + `sk`, both strings):

    pk = "MESSAGE"   sk = <message id>                       the messages themselves
    pk = "HISTORY"   sk = <message id>#<UTC instant>#v<ver>  one item per change (who, when, before, after)

Every message that can apply to any call lives in the one MESSAGE partition: the closure check
reads it with a single Query per cache period (a contact center has tens of messages, far below
the 1 MB a query page returns) and picks, in memory, what applies to this call's queue and flow.
History sits in its own partition, so that query never reads it, and an operator lists it with
a Query too (all of it, or one message's with begins_with).

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

If a message that only announces outranks one that closes, the caller hears the higher-ranked
message and the call is still CLOSED: an announcement never reopens a closed center.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from html import escape
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# --- Table schema: infra (CDK) and the local simulator both build the table from these -------
PARTITION_KEY = "pk"
SORT_KEY = "sk"
MESSAGE_PARTITION = "MESSAGE"
HISTORY_PARTITION = "HISTORY"
KEY_SCHEMA = [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}, {"AttributeName": SORT_KEY, "KeyType": "RANGE"}]
ATTRIBUTE_DEFINITIONS = [{"AttributeName": PARTITION_KEY, "AttributeType": "S"}, {"AttributeName": SORT_KEY, "AttributeType": "S"}]

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
LANGUAGES = frozenset(
    "arb ar-AE ca-ES cmn-CN cs-CZ cy-GB da-DK de-AT de-CH de-DE en-AU en-GB en-GB-WLS en-IE en-IN en-NZ "
    "en-SG en-US en-ZA es-ES es-MX es-US fi-FI fr-BE fr-CA fr-FR hi-IN is-IS it-IT ja-JP ko-KR nb-NO "
    "nl-BE nl-NL pl-PL pt-BR pt-PT ro-RO ru-RU sv-SE tr-TR yue-CN".split()
)


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

    def with_audit(self, *, by: str, at: str, version: int) -> "Message":
        return replace(self, updated_by=by, updated_at=at, version=version)


@dataclass(frozen=True)
class Choice:
    """What a caller hears: the winning message, and whether the center is closed for this call."""

    message: Message | None
    closed: bool
    language: str = ""

    @property
    def result(self) -> str:
        return "CLOSED" if self.closed else "ANNOUNCE" if self.message else "OPEN"


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
            start, end = _local(window.start, ZoneInfo(window.time_zone)), _local(window.end, ZoneInfo(window.time_zone))
        elif window.type == "DATES":
            start, end = date.fromisoformat(window.start), date.fromisoformat(window.end)
        elif window.type == "YEARLY":
            start, end = _month_day(window.start), _month_day(window.end or window.start)
            return  # a yearly range may wrap over New Year (12-24 to 01-02)
        else:
            return
    except (ValueError, TypeError) as problem:
        raise MessageError(f"{where}: window {window.start!r} to {window.end!r} is not valid ({problem})") from None
    if end < start or (window.type == "INSTANTS" and end == start):
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


# --- What a caller hears ---------------------------------------------------------------------


def is_ssml(text: str) -> bool:
    return text.lstrip().startswith("<")


def to_ssml(text: str) -> str:
    """Always SSML: stored SSML as is, plain text escaped and wrapped in <speak>."""
    return text.strip() if is_ssml(text) else f"<speak>{escape(text.strip(), quote=False)}</speak>"


def choose(
    messages: Iterable[Message],
    at: datetime,
    *,
    queue: str = "",
    flow: str = "",
    language: str = "",
    default_language: str = "en-US",
    center_tz: str = "UTC",
    queue_only: bool = False,
) -> Choice:
    """The message a caller of `queue` / `flow` hears at the aware instant `at`, if any;
    `queue_only`: only the messages scoped to `queue` (asked once the call has its queue, after
    the call-start check has played the center's and the flow's)."""
    queue_scope = {f"QUEUE#{queue}"} if queue else set()
    scopes = queue_scope if queue_only else {"CENTER"} | queue_scope | ({f"FLOW#{flow}"} if flow else set())
    active = [m for m in messages if m.enabled and m.scope in scopes and m.window.contains(at, center_tz)]
    if not active:
        return Choice(None, closed=False)
    # Kind precedence, then higher priority; among equals the most recent update wins (min keeps the first).
    by_recency = sorted(active, key=lambda m: (m.updated_at, m.id), reverse=True)
    winner = min(by_recency, key=lambda m: (KINDS.index(m.kind), -m.priority))
    closed = any(m.effect == "CLOSE" for m in active)
    spoken = language if language in winner.texts else default_language if default_language in winner.texts else min(winner.texts)
    return Choice(winner, closed=closed, language=spoken)


def answer(choice: Choice) -> dict[str, Any]:
    """The closure check's answer fields (all but `stale`), as in the flows' contract."""
    message = choice.message
    if message is None:
        return {"closed": False, "kind": "", "message": "", "message_format": "", "message_id": ""}
    text = message.texts[choice.language]
    return {
        "closed": choice.closed,
        "kind": message.kind,
        "message": to_ssml(text),
        "message_format": "SSML" if is_ssml(text) else "TEXT",
        "message_id": message.id,
    }


# --- DynamoDB items (low-level attribute values) ---------------------------------------------


def to_item(message: Message) -> dict[str, dict]:
    window = message.window
    return {
        PARTITION_KEY: {"S": MESSAGE_PARTITION},
        SORT_KEY: {"S": message.id},
        "scope": {"S": message.scope},
        "kind": {"S": message.kind},
        "effect": {"S": message.effect},
        "texts": {"M": {language: {"S": text} for language, text in message.texts.items()}},
        "window": {"M": {k: {"S": v} for k, v in asdict(window).items()}},
        "priority": {"N": str(message.priority)},
        "enabled": {"BOOL": message.enabled},
        "updated_by": {"S": message.updated_by},
        "updated_at": {"S": message.updated_at},
        "version": {"N": str(message.version)},
    }


def from_item(item: Mapping[str, Mapping[str, Any]]) -> Message:
    window = {k: v["S"] for k, v in item.get("window", {}).get("M", {}).items()}
    return Message(
        id=item[SORT_KEY]["S"],
        scope=item["scope"]["S"],
        kind=item["kind"]["S"],
        effect=item["effect"]["S"],
        texts={language: v["S"] for language, v in item["texts"]["M"].items()},
        window=Window(**window),
        priority=int(item["priority"]["N"]),
        enabled=item["enabled"]["BOOL"],
        updated_by=item.get("updated_by", {}).get("S", ""),
        updated_at=item.get("updated_at", {}).get("S", ""),
        version=int(item.get("version", {}).get("N", "0")),
    )


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
