"""What AWS services other than Connect would answer in a local call: Lex bots, customer
profiles and cases, read from one data file (`ivr call --data FILE`, YAML or JSON).

    bots:
      OrderBot:                      # the bot's name, or its alias ARN, or the alias id in that ARN
        intents:
          CheckOrder:
            utterances: ["where is my order", "track order {OrderNumber}"]
            slots: {OrderNumber: "[0-9]+"}   # optional: a regular expression each slot must match
          SpeakToAgent:
            utterances: ["agent", "a person please"]
        session_attributes: {channel: phone}  # optional: $.Lex.SessionAttributes after the turn
    profiles:                        # Customer Profiles: one mapping of fields per profile
      - {ProfileId: p-100, FirstName: Ana, PhoneNumber: "+15555550123", AccountNumber: "42"}
    cases:                           # Cases: one mapping of fields per case
      - {case_id: c-7, customer_id: p-100, title: Broken kettle, status: open}

A sentence matches an utterance when both read the same once case, punctuation and spacing
are set aside; `{Slot}` in an utterance takes the words said there as the slot's value. A
sentence that is just an intent's name picks that intent. No match is Lex's FallbackIntent.
Each call works on its own copy: a profile one call creates is not there in the next.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FALLBACK_INTENT = "FallbackIntent"
_SLOT = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")
_NOT_WORD = re.compile(r"[^\w]+")


class BadData(ValueError):
    """A data file the simulator cannot use: one line that says why."""


@dataclass(frozen=True)
class Intent:
    name: str
    utterances: tuple[str, ...]
    slots: Mapping[str, str]  # slot -> regular expression its value must match

    def match(self, sentence: str) -> dict[str, str] | None:
        """The slot values when `sentence` is one of this intent's utterances, else None."""
        said = _words(sentence)
        if said == _words(self.name):
            return {}
        for utterance in self.utterances:
            pieces = []
            for index, part in enumerate(_SLOT.split(utterance)):
                if index % 2:
                    pieces.append(f"(?P<{part}>.+?)")
                elif _words(part):
                    pieces.append(re.escape(_words(part)))
            try:
                found = re.fullmatch(" ".join(pieces), said)
            except re.error:  # a slot named twice in one utterance
                continue
            if found and all(re.fullmatch(self.slots.get(name, ".+"), value, re.I)
                             for name, value in found.groupdict().items()):
                return dict(found.groupdict())
        return None


@dataclass(frozen=True)
class Bot:
    name: str
    intents: tuple[Intent, ...]
    session_attributes: Mapping[str, str] = field(default_factory=dict)

    def understand(self, sentence: str) -> tuple[str, dict[str, str]]:
        """(intent name, slot values) for what the caller said; the fallback intent when none matches."""
        for intent in self.intents:
            slots = intent.match(sentence)
            if slots is not None:
                return intent.name, slots
        return FALLBACK_INTENT, {}


@dataclass
class LocalData:
    bots: dict[str, Bot] = field(default_factory=dict)
    profiles: list[dict[str, str]] = field(default_factory=list)
    cases: list[dict[str, str]] = field(default_factory=list)
    source: str | None = None  # the file it came from, for notes

    def bot(self, names: Iterable[str]) -> Bot | None:
        """The bot any of these names (bot name, alias ARN, a part of it) stands for."""
        for name in names:
            if not name:
                continue
            if name in self.bots:
                return self.bots[name]
            for key, bot in self.bots.items():
                if key in name.split("/") or name.endswith(key):
                    return bot
        return None

    def for_one_call(self) -> LocalData:
        return LocalData(dict(self.bots), copy.deepcopy(self.profiles), copy.deepcopy(self.cases), self.source)


def _words(text: str) -> str:
    """Lower case, punctuation gone, one space between words."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def load_data(path: str | Path | None) -> LocalData:
    """The data file's bots, profiles and cases; an empty world without a file."""
    if path is None:
        return LocalData()
    try:
        text = Path(path).read_text(encoding="utf-8")
        document = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as error:
        raise BadData(f"{path}: cannot be read ({error})") from None
    except (ValueError, yaml.YAMLError) as error:
        raise BadData(f"{path}: not valid {'JSON' if str(path).endswith('.json') else 'YAML'} ({error})") from None
    return data_from(document, str(path))


def data_from(document: Any, source: str = "data") -> LocalData:
    """The same from an already parsed mapping (a journey scenario's `data:`)."""
    if document is None:
        return LocalData(source=source)
    if not isinstance(document, Mapping):
        raise BadData(f"{source}: a mapping with bots, profiles and cases, not {type(document).__name__}")
    unknown = set(document) - {"bots", "profiles", "cases"}
    if unknown:
        raise BadData(f"{source}: unknown sections {sorted(map(str, unknown))} (bots, profiles, cases)")
    return LocalData(_bots(document.get("bots"), source), _records(document.get("profiles"), source, "profiles"),
                     _records(document.get("cases"), source, "cases"), source)


def _bots(raw: Any, source: str) -> dict[str, Bot]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise BadData(f"{source}: bots must map a bot's name to its intents")
    bots = {}
    for name, spec in raw.items():
        spec = spec if isinstance(spec, Mapping) else {}
        intents = spec.get("intents")
        if not isinstance(intents, Mapping) or not intents:
            raise BadData(f"{source}: bot {name!r} has no intents")
        parsed = []
        for intent, body in intents.items():
            body = body if isinstance(body, Mapping) else {}
            utterances = body.get("utterances") or []
            slots = body.get("slots") or {}
            if not isinstance(utterances, list) or not isinstance(slots, Mapping):
                raise BadData(f"{source}: intent {intent!r} of bot {name!r}: utterances is a list, slots a mapping")
            for slot, pattern in slots.items():
                try:
                    re.compile(str(pattern))
                except re.error as error:
                    raise BadData(f"{source}: slot {slot!r} of intent {intent!r}: bad pattern ({error})") from None
            parsed.append(Intent(str(intent), tuple(map(str, utterances)), {str(k): str(v) for k, v in slots.items()}))
        attributes = spec.get("session_attributes") or {}
        bots[str(name)] = Bot(str(name), tuple(parsed), {str(k): str(v) for k, v in dict(attributes).items()})
    return bots


def _records(raw: Any, source: str, section: str) -> list[dict[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise BadData(f"{source}: {section} must be a list of mappings of fields")
    return [{str(k): "" if v is None else str(v) for k, v in item.items()} for item in raw]


def find(records: list[dict[str, str]], wanted: Mapping[str, Any]) -> list[dict[str, str]]:
    """The records whose fields equal every wanted value (case aside); none when nothing is wanted."""
    criteria = {str(k): str(v).strip().lower() for k, v in wanted.items() if v not in (None, "")}
    if not criteria:
        return []
    return [r for r in records if all(r.get(k, "").strip().lower() == v for k, v in criteria.items())]
