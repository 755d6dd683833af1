"""A contact flow as data: the parts of Amazon Connect's flow language the validator and the
simulator read, parsed tolerantly.

`Flow.from_document` never raises on a badly shaped flow: whatever is malformed (an action that
is not an object, an error entry without a NextAction...) is left out of the model, and the
validator's shape rules report it from `Flow.document`. Code that needs a sound flow validates
it first (`flow_language.validate_flow`) and then builds the model.
"""
from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

# A value that is one whole JSONPath: `$.Attributes.orderId`, `$.External.result`, `$.Channel`.
_WHOLE_JSONPATH = re.compile(r"\$\.[A-Za-z][^\s$]*")
# A JSONPath reference anywhere in a value (`Hello $.External.name`).
_JSONPATH_INSIDE = re.compile(r"\$\.[A-Za-z]")

BranchKind = Literal["next", "error", "condition"]


class FlowFormatError(ValueError):
    """The text is not a JSON object, so it cannot be a flow at all."""


def parse_document(document: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    """The flow document as a dict; raises FlowFormatError for anything but a JSON object."""
    if isinstance(document, Mapping):
        return document
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FlowFormatError(f"not UTF-8 text (byte {error.start})") from None
    try:
        parsed = json.loads(document)
    except json.JSONDecodeError as error:
        raise FlowFormatError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(parsed, dict):
        raise FlowFormatError(f"a flow is a JSON object, this file holds {json_kind(parsed)}")
    return parsed


def load_flow(document: str | bytes | Mapping[str, Any]) -> Flow:
    """Parse a flow (JSON text or an already parsed dict) into the model."""
    return Flow.from_document(parse_document(document))


# --- values ---------------------------------------------------------------------------------------

def is_whole_jsonpath(value: Any) -> bool:
    return isinstance(value, str) and _WHOLE_JSONPATH.fullmatch(value) is not None


def contains_jsonpath(value: Any) -> bool:
    return isinstance(value, str) and _JSONPATH_INSIDE.search(value) is not None


def static_integer(value: Any) -> int | None:
    """The integer a static parameter holds (`4` or `"4"`, as exports write it), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        return int(value)
    return None


def lookup(mapping: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """mapping[path[0]][path[1]]...; None when any step is missing or not an object."""
    value: Any = mapping
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def json_kind(value: Any) -> str:
    """How a message names the JSON type of a value: "an object", "a list", "a string"..."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    return "null" if value is None else "a number"


# --- the model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Branch:
    """One way out of an action: its NextAction, an error entry or a condition entry."""

    kind: BranchKind
    target: str
    error_type: str | None = None
    operator: str | None = None
    operand: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "error":
            return f"error {self.error_type}"
        if self.kind == "condition":
            return f"condition {self.operator} {self.operand}"
        return "NextAction"


@dataclass(frozen=True)
class Condition:
    """A `Conditions` entry: Operands are kept as written for the rules to judge; an Operator that
    is not a string is None (action-shape reports it)."""

    next_action: str | None
    operator: str | None
    operands: Any

    @property
    def operand(self) -> str | None:
        """The single string operand, or None when the entry has anything else."""
        if isinstance(self.operands, list) and len(self.operands) == 1 and isinstance(self.operands[0], str):
            return self.operands[0]
        return None


@dataclass(frozen=True)
class ErrorBranch:
    error_type: str
    next_action: str | None


@dataclass(frozen=True)
class Action:
    index: int  # position in the document's Actions list
    identifier: str
    type: str | None
    parameters: Mapping[str, Any]
    transitions: Mapping[str, Any]
    next_action: str | None
    errors: tuple[ErrorBranch, ...]
    conditions: tuple[Condition, ...]

    @classmethod
    def from_raw(cls, index: int, raw: Mapping[str, Any]) -> Action:
        transitions = raw.get("Transitions")
        transitions = transitions if isinstance(transitions, Mapping) else {}
        parameters = raw.get("Parameters")
        return cls(
            index=index,
            identifier=raw["Identifier"],
            type=raw.get("Type") if isinstance(raw.get("Type"), str) else None,
            parameters=parameters if isinstance(parameters, Mapping) else {},
            transitions=transitions,
            next_action=_string_or_none(transitions.get("NextAction")),
            errors=tuple(
                ErrorBranch(entry["ErrorType"], _string_or_none(entry.get("NextAction")))
                for entry in _objects(transitions.get("Errors"))
                if isinstance(entry.get("ErrorType"), str)
            ),
            conditions=tuple(_condition(entry) for entry in _objects(transitions.get("Conditions"))),
        )

    @cached_property
    def error_types(self) -> frozenset[str]:
        return frozenset(error.error_type for error in self.errors)

    def branches(self) -> Iterator[Branch]:
        """Every named way out, in document order: NextAction, then errors, then conditions."""
        if self.next_action is not None:
            yield Branch("next", self.next_action)
        for error in self.errors:
            if error.next_action is not None:
                yield Branch("error", error.next_action, error_type=error.error_type)
        for condition in self.conditions:
            if condition.next_action is not None:
                yield Branch("condition", condition.next_action, operator=condition.operator, operand=condition.operand)


@dataclass(frozen=True)
class Flow:
    document: Mapping[str, Any] = field(repr=False)
    start_action: str | None
    actions: tuple[Action, ...]

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Flow:
        raw_actions = document.get("Actions")
        actions = tuple(
            Action.from_raw(index, raw)
            for index, raw in enumerate(raw_actions if isinstance(raw_actions, list) else [])
            if isinstance(raw, Mapping) and isinstance(raw.get("Identifier"), str)
        )
        return cls(document=document, start_action=_string_or_none(document.get("StartAction")), actions=actions)

    @cached_property
    def by_id(self) -> Mapping[str, Action]:
        """Actions by Identifier; with duplicates, the first one wins (the duplicate is an error)."""
        result: dict[str, Action] = {}
        for action in self.actions:
            result.setdefault(action.identifier, action)
        return result

    @cached_property
    def successors(self) -> Mapping[str, tuple[Branch, ...]]:
        """For each action, its branches whose target exists."""
        return {
            action.identifier: tuple(b for b in action.branches() if b.target in self.by_id)
            for action in self.by_id.values()
        }

    @cached_property
    def predecessors(self) -> Mapping[str, tuple[tuple[str, Branch], ...]]:
        """For each action, the (source id, branch) pairs that lead to it."""
        result: dict[str, list[tuple[str, Branch]]] = {identifier: [] for identifier in self.by_id}
        for source, branches in self.successors.items():
            for branch in branches:
                result[branch.target].append((source, branch))
        return {identifier: tuple(pairs) for identifier, pairs in result.items()}

    @cached_property
    def distances_from_start(self) -> Mapping[str, int]:
        """Fewest branches from StartAction to each action it reaches (empty when StartAction is unknown)."""
        start = self.start_action
        if start is None or start not in self.by_id:
            return {}
        distance = {start: 0}
        queue = deque([start])
        while queue:
            source = queue.popleft()
            for branch in self.successors[source]:
                if branch.target not in distance:
                    distance[branch.target] = distance[source] + 1
                    queue.append(branch.target)
        return distance

    @cached_property
    def reachable(self) -> frozenset[str]:
        """Identifiers reachable from StartAction by any branch (empty when StartAction is unknown)."""
        return frozenset(self.distances_from_start)

    def of_type(self, *types: str) -> Iterator[Action]:
        return (action for action in self.actions if action.type in types)


def _condition(entry: Mapping[str, Any]) -> Condition:
    condition = entry.get("Condition")
    condition = condition if isinstance(condition, Mapping) else {}
    return Condition(_string_or_none(entry.get("NextAction")), _string_or_none(condition.get("Operator")),
                     condition.get("Operands"))


def _string_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
