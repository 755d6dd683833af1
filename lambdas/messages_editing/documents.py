"""Messages as operators write them in YAML (`ivr messages apply`, the seed file, the simulator).

    messages:
      - id: christmas-day
        scope: center                  # center | queue:<queue name in Connect> | flow:<flow name>
        kind: HOLIDAY                  # EMERGENCY | HOLIDAY | ANNOUNCEMENT
        effect: CLOSE                  # CLOSE | ANNOUNCE
        priority: 0                    # optional, higher wins among messages of the same kind
        enabled: true                  # optional
        window: {start: "12-25"}       # optional (absent = until disabled), see below
        text:
          en-US: We are closed today for Christmas and open again {reopening}.   # "on Monday at 8 AM", computed
          es-US: "<speak>Hoy estamos cerrados por Navidad.</speak>"   # SSML when it starts with "<"

A window's kind follows from how `start` is written: "12-25" (yearly, whole days, `end` optional),
"2026-11-26" (dates, whole days, `end` optional), "2026-12-24T17:00" (local date-times: `end` and
`time_zone` required). Whole days are in the center's time zone unless `time_zone` is given.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lambdas.closure_check.model import Message, MessageError, Window, normalize_scope, validate

_FIELDS = {"id", "scope", "kind", "effect", "priority", "enabled", "window", "text"}
_WINDOW_FIELDS = {"type", "start", "end", "time_zone"}


def from_document(data: Any, where: str = "message") -> Message:
    """A validated Message from its YAML form; MessageError names the first problem."""
    if not isinstance(data, Mapping):
        raise MessageError(f"{where}: expected a mapping with id, scope, kind, effect, text")
    where = f"message {data['id']}" if isinstance(data.get("id"), str) else where
    unknown = sorted(set(map(str, data)) - _FIELDS)
    if unknown:
        raise MessageError(f"{where}: unknown field {unknown[0]!r} (expected {', '.join(sorted(_FIELDS))})")
    missing = [name for name in ("id", "scope", "kind", "effect", "text") if data.get(name) in (None, "")]
    if missing:
        raise MessageError(f"{where}: missing {missing[0]!r}")
    texts = data["text"]
    if not isinstance(texts, Mapping):
        raise MessageError(f"{where}: text must map language codes to texts, like {{en-US: We are closed today.}}")
    return validate(Message(
        id=data["id"],
        scope=normalize_scope(data["scope"]),
        kind=str(data["kind"]).upper(),
        effect=str(data["effect"]).upper(),
        texts={str(language): text for language, text in texts.items()},
        window=window_from(data.get("window"), where),
        priority=data.get("priority", 0),
        enabled=data.get("enabled", True),
    ))


def window_from(data: Any, where: str) -> Window:
    if data is None:
        return Window()
    if not isinstance(data, Mapping):
        raise MessageError(f"{where}: window must be a mapping with start (and end, time_zone)")
    unknown = sorted(set(map(str, data)) - _WINDOW_FIELDS)
    if unknown:
        raise MessageError(f"{where}: unknown window field {unknown[0]!r} (expected start, end, time_zone)")
    start, end = _when(data.get("start"), where), _when(data.get("end"), where)
    kind = str(data.get("type") or _kind_of(start, where)).upper()
    if kind in ("DATES", "YEARLY") and not end:
        end = start
    return Window(type=kind, start=start, end=end, time_zone=str(data.get("time_zone") or ""))


def _when(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # YAML reads 2026-12-24 17:00:00 as a datetime
        if value.tzinfo is not None:
            raise MessageError(f"{where}: window time {value} must be local (no offset); give the time_zone instead")
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip().replace(" ", "T", 1)


def _kind_of(start: str, where: str) -> str:
    if re.fullmatch(r"\d{2}-\d{2}", start):
        return "YEARLY"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
        return "DATES"
    if "T" in start:
        return "INSTANTS"
    raise MessageError(f"{where}: window start {start!r} must be MM-DD (yearly), YYYY-MM-DD (whole days) or YYYY-MM-DDTHH:MM")


def to_document(message: Message) -> dict[str, Any]:
    """The YAML form (what `show` prints and history keeps), audit fields last."""
    scope_type, _, name = message.scope.partition("#")
    document: dict[str, Any] = {
        "id": message.id,
        "scope": f"{scope_type.lower()}:{name}" if name else "center",
        "kind": message.kind,
        "effect": message.effect,
        "priority": message.priority,
        "enabled": message.enabled,
    }
    if message.window.type != "ALWAYS":
        window = message.window
        document["window"] = {"start": window.start, "end": window.end, **({"time_zone": window.time_zone} if window.time_zone else {})}
    document["text"] = dict(message.texts)
    if message.version:
        document.update(version=message.version, updated_by=message.updated_by, updated_at=message.updated_at)
    return document


def load_file(path: str | Path) -> list[Message]:
    """Every message of a YAML file (`messages:` list), validated; MessageError on the first problem."""
    import yaml

    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_loader(str(path)))  # a SafeLoader
    except OSError as problem:
        raise MessageError(f"cannot read {path}: {problem.strerror}") from None
    except yaml.YAMLError as problem:
        raise MessageError(f"{path} is not valid YAML: {str(problem).splitlines()[0]}") from None
    items = data.get("messages") if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise MessageError(f"{path}: expected a list under 'messages:'")
    return parse_all(items, str(path))


def _loader(path: str) -> Any:
    """yaml's SafeLoader, except that an unquoted date that does not exist (2026-02-30) is one
    line naming where it is, not a ValueError from deep inside yaml."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as problem:
                raise MessageError(f"{path}, line {node.start_mark.line + 1}: {node.value!r} is not a date ({problem})") from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    return Loader


def parse_all(items: Iterable[Any], source: str = "input") -> list[Message]:
    messages, seen = [], set()
    for number, item in enumerate(items, 1):
        message = item if isinstance(item, Message) else from_document(item, f"{source}: message #{number}")
        if isinstance(item, Message):
            validate(message)
        if message.id in seen:
            raise MessageError(f"{source}: message id {message.id!r} appears twice")
        seen.add(message.id)
        messages.append(message)
    return messages


def describe_change(before: dict | None, after: dict | None) -> str:
    """One line saying what a change did, from the YAML forms before and after (None: added, deleted)."""
    if before is None:
        assert after is not None, "a change has a before or an after"
        window = after.get("window")
        when = f"{window['start']} to {window['end']} {window.get('time_zone', '')}".rstrip() if window else "always"
        return f"added: {after['scope']} {after['kind']} {after['effect']}, {when}, languages {', '.join(after['text'])}"
    if after is None:
        return "deleted"
    audit = {"version", "updated_by", "updated_at"}
    parts = []
    for key in [k for k in {**before, **after} if k not in audit]:
        if key == "text":
            for language in sorted(set(before.get("text", {})) | set(after.get("text", {}))):
                old, new = before.get("text", {}).get(language), after.get("text", {}).get(language)
                if old != new:
                    parts.append(f"text.{language}: {json.dumps(old, ensure_ascii=False)} -> {json.dumps(new, ensure_ascii=False)}")
        elif before.get(key) != after.get(key):
            parts.append(f"{key}: {json.dumps(before.get(key), ensure_ascii=False)} -> {json.dumps(after.get(key), ensure_ascii=False)}")
    return "; ".join(parts) or "no change"
