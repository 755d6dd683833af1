"""What one entry of the action catalog says about an action type, and the names entries share.

An entry (`ActionSpec`) is data read from one page of the AWS flow-language reference: its
parameters, its error branches and conditions, the flow types it runs in. The entries themselves
are in flow_language/actions.py; flow_language/catalog.py assembles them and answers the rules'
questions.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flow_language.model import Action

REFERENCE = "https://docs.aws.amazon.com/connect/latest/APIReference/"
# The newer action pages are published in the developer guide only.
DEVELOPER_GUIDE = "https://docs.aws.amazon.com/connect/latest/devguide/"

NO_MATCHING_ERROR = "NoMatchingError"
NO_MATCHING_CONDITION = "NoMatchingCondition"
GENERIC_ERRORS = frozenset({NO_MATCHING_ERROR, NO_MATCHING_CONDITION})

# Metadata.type of a flow file (as the console exports it) -> AWS::Connect::ContactFlow Type.
FLOW_TYPES = {
    "contactFlow": "CONTACT_FLOW", "customerQueue": "CUSTOMER_QUEUE", "customerHold": "CUSTOMER_HOLD",
    "customerWhisper": "CUSTOMER_WHISPER", "agentHold": "AGENT_HOLD", "agentWhisper": "AGENT_WHISPER",
    "outboundWhisper": "OUTBOUND_WHISPER", "agentTransfer": "AGENT_TRANSFER", "queueTransfer": "QUEUE_TRANSFER",
}
INBOUND_AND_TRANSFER = frozenset({"contactFlow", "agentTransfer", "queueTransfer"})
WITH_A_CALLER = INBOUND_AND_TRANSFER | {"customerQueue"}  # not whisper or hold flows
WHISPER = frozenset({"customerWhisper", "agentWhisper", "outboundWhisper"})
HOLD = frozenset({"customerHold", "agentHold"})
NOT_HOLD = frozenset(FLOW_TYPES) - HOLD


class ValueKind(Enum):
    """What a parameter value may be: the three kinds of the flow-language reference."""

    STATIC = "static"  # a literal: no JSONPath
    STATIC_OR_PATH = "static or one whole JSONPath"
    PATH = "one whole JSONPath"


class Conditions(Enum):
    """Whether an action's Transitions may, must or must not hold Conditions."""

    NONE = "takes none"
    OPTIONAL = "may have some"
    REQUIRED = "needs at least one"


@dataclass(frozen=True)
class ErrorBranches:
    """Which ErrorTypes an action may list, must list (an error), and should list (a warning)."""

    allowed: frozenset[str]
    required: frozenset[str] = frozenset()
    expected: frozenset[str] = frozenset()


def branches(allowed: Iterable[str] = (), required: Iterable[str] = (), expected: Iterable[str] = ()) -> ErrorBranches:
    return ErrorBranches(frozenset(allowed), frozenset(required), frozenset(expected))


NO_ERRORS = branches()
# The reference lists only NoMatchingError: the generic pair is allowed, the branch is optional,
# and leaving it out is a caller-experience warning.
GENERIC = branches(GENERIC_ERRORS, expected={NO_MATCHING_ERROR})


@dataclass(frozen=True)
class Param:
    """One parameter (or a field inside an object parameter), by its path in Parameters."""

    path: tuple[str, ...]
    required: bool = False  # inside an object parameter: required when that object is there
    kind: ValueKind | None = None  # None: free text (JSONPath inside allowed) or an object
    values: frozenset[str] = frozenset()  # the values Connect accepts; empty: not enumerated
    integers: tuple[int, int | None] | None = None  # inclusive range of a whole number (None: no upper bound)
    closed: bool = False  # an object whose fields are exactly the Params under it (others are reported)


def param(dotted: str, *, required: bool = False, kind: ValueKind | None = None, values: Iterable[str] = (),
          integers: tuple[int, int | None] | None = None, closed: bool = False) -> Param:
    """A Param written as "Object.Field": param("InputValidation.CustomValidation.MaximumLength")."""
    return Param(tuple(dotted.split(".")), required, kind, frozenset(values), integers, closed)


@dataclass(frozen=True)
class Choice:
    """How many of `names` an action may set."""

    names: tuple[str, ...]
    minimum: int
    maximum: int


PROMPTS = ("Text", "SSML", "PromptId", "Media")


@dataclass(frozen=True)
class ActionSpec:
    """Everything the validator knows about one action type, from its reference page."""

    type: str
    family: str  # the reference's index page: participant, flow control, contact or interaction
    page: str  # the reference page, relative to `guide`
    parameters: tuple[Param, ...] = ()
    choices: tuple[Choice, ...] = ()
    errors: ErrorBranches = GENERIC
    # For the types whose error branches depend on a parameter (GetParticipantInput, CheckMetricData,
    # UpdateContactRecordingAndAnalyticsBehavior).
    errors_of: Callable[[Action], ErrorBranches] | None = None
    conditions: Conditions = Conditions.NONE
    # Conditions that must be exactly this set of (Operator, operand) pairs.
    exact_conditions: frozenset[tuple[str, str]] = frozenset()
    # Its conditions cover every outcome, so it needs no NextAction.
    exhaustive: bool = False
    flow_types: frozenset[str] | None = None  # the Metadata.type values it runs in; None: any
    # The channels the page names (None: every channel); for the simulator, since a flow file names no channel.
    channels: frozenset[str] | None = None
    terminal: bool = False  # ends the flow (or module): empty Transitions
    silent: bool = False  # says nothing to the caller and ends nothing: bookkeeping and branching
    module_only: bool = False
    needs_next_action: bool = True
    # Where this entry departs from the reference to accept what AWS itself publishes and deploys.
    note: str = ""
    guide: str = REFERENCE  # where `page` is published: REFERENCE or DEVELOPER_GUIDE

    @property
    def url(self) -> str:
        return self.guide + self.page

    def error_branches(self, action: Action) -> ErrorBranches:
        return self.errors_of(action) if self.errors_of else self.errors

    def closed_objects(self) -> list[tuple[str, ...]]:
        """Paths of the objects whose every field is listed: Parameters itself, and those marked closed."""
        return [(), *(p.path for p in self.parameters if p.closed)]

    def fields_of(self, path: tuple[str, ...]) -> list[str]:
        """The names listed directly under an object path (() for Parameters itself)."""
        depth = len(path)
        return list(dict.fromkeys(p.path[depth] for p in self.parameters
                                  if len(p.path) > depth and p.path[:depth] == path))
