"""The facts of Amazon Connect's flow language the rules check, and the action catalog's lookups.

Source: the AWS flow-language reference (https://docs.aws.amazon.com/connect/latest/APIReference/
flow-language.html) and the project's shared summary of it. The shared facts (limits,
identifiers, operators, flow types) are here; what each action type takes is its entry in
flow_language/actions.py, and `ACTIONS` maps every type to that entry. The sets below that name
types (TERMINAL_TYPES, SILENT_TYPES...) are views of the entries, not a second spelling.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from flow_language.actions import AGENT_METRICS, ENTRIES, QUEUE_METRICS, metric_type, store_input
from flow_language.model import Action
from flow_language.spec import (
    FLOW_TYPES,
    GENERIC_ERRORS,
    INBOUND_AND_TRANSFER,
    NO_MATCHING_CONDITION,
    NO_MATCHING_ERROR,
    ActionSpec,
    Choice,
    Conditions,
    ErrorBranches,
    Param,
    ValueKind,
)

__all__ = [
    "ACTIONS", "AGENT_METRICS", "FLOW_TYPES", "GENERIC_ERRORS", "NO_MATCHING_CONDITION", "NO_MATCHING_ERROR",
    "QUEUE_METRICS", "ActionSpec", "Choice", "Conditions", "ErrorBranches", "Param", "ValueKind", "closest",
    "error_branches", "metric_type", "spec_of", "store_input",
]

FLOW_VERSION = "2019-10-30"
MAX_ACTIONS = 250
MAX_CONTENT_CHARACTERS = 256_000  # AWS::Connect::ContactFlow Content
MAX_IDENTIFIER_LENGTH = 50
# AWS reference, "Actions in the flow language": characters and names an Identifier may not use.
FORBIDDEN_IDENTIFIER_CHARACTERS = frozenset("%:()\\/=$,;[]{}")
RESERVED_IDENTIFIERS = frozenset({
    "__proto__", "constructor", "__defineGetter__", "__defineSetter__", "toString", "hasOwnProperty",
    "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "valueOf",
})

NUMBER_OPERATORS = frozenset({
    "NumberGreaterThan", "NumberGreaterOrEqualTo", "NumberLessThan", "NumberLessOrEqualTo",
})
OPERATORS = frozenset({"Equals", "TextStartsWith", "TextEndsWith", "TextContains"}) | NUMBER_OPERATORS
MAX_CONDITIONS = 50
DTMF_KEYS = frozenset("0123456789*#")

SYNCHRONOUS_LAMBDA_LIMIT_SECONDS = (1, 8)
ASYNCHRONOUS_LAMBDA_LIMIT_SECONDS = (1, 60)

# --- the catalog ----------------------------------------------------------------------------------

ACTIONS: Mapping[str, ActionSpec] = MappingProxyType({spec.type: spec for spec in ENTRIES})
if len(ACTIONS) != len(ENTRIES):
    raise ValueError("an action type has two catalog entries")


def _types(predicate: str) -> frozenset[str]:
    return frozenset(name for name, spec in ACTIONS.items() if getattr(spec, predicate))


KNOWN_TYPES = frozenset(ACTIONS)
TERMINAL_TYPES = _types("terminal")
SILENT_TYPES = _types("silent")  # see caller_experience: what an announced disconnect may follow
MODULE_ONLY_TYPES = _types("module_only")
# The flow types a TransferToFlow can go to (AWS, the "Transfer to flow" block: another type takes
# the error branch at run time).
TRANSFER_TARGET_TYPES = INBOUND_AND_TRANSFER
# What to use instead, where AWS has an action for the same purpose in that kind of flow.
INSTEAD_IN_FLOW_TYPE: dict[tuple[str, str], str] = {
    ("TransferContactToQueue", "customerQueue"): "DequeueContactAndTransferToQueue (with the QueueId) moves a waiting caller to another queue",
    ("UpdateContactTargetQueue", "customerQueue"): "DequeueContactAndTransferToQueue takes the QueueId itself",
    ("EndFlowExecution", "contactFlow"): "DisconnectParticipant ends the call",
}

# How close an unknown name must be to a known one to be called a misspelling of it.
MISSPELLING_CUTOFF = 0.8


def spec_of(action: Action) -> ActionSpec | None:
    """The catalog entry of an action's type; None for a type the catalog does not know."""
    return ACTIONS.get(action.type) if action.type is not None else None


def error_branches(action: Action) -> ErrorBranches | None:
    """The error-branch policy of an action; None for types the catalog does not know."""
    spec = spec_of(action)
    return spec.error_branches(action) if spec else None


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` is most likely a misspelling of (case aside, or by difflib), or None."""
    candidates = list(known)
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return candidate
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=MISSPELLING_CUTOFF)
    return matches[0] if matches else None
