"""The facts of Amazon Connect's flow language the rules check, as tables.

Source: the project's shared connect-flow-language.md (a summary of the AWS flow-language reference),
checked against the AWS pages where that summary is terse. Where the AWS reference is more
precise, the table follows AWS and says so.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from flow_language.model import Action, lookup

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

NO_MATCHING_ERROR = "NoMatchingError"
NO_MATCHING_CONDITION = "NoMatchingCondition"
INPUT_TIME_LIMIT_EXCEEDED = "InputTimeLimitExceeded"
INVALID_PHONE_NUMBER = "InvalidPhoneNumber"
QUEUE_AT_CAPACITY = "QueueAtCapacity"
GENERIC_ERRORS = frozenset({NO_MATCHING_ERROR, NO_MATCHING_CONDITION})

AGENT_METRICS = frozenset({"NumberOfAgentsAvailable", "NumberOfAgentsStaffed", "NumberOfAgentsOnline"})
QUEUE_METRICS = frozenset({"OldestContactInQueueAgeSeconds", "NumberOfContactsInQueue"})

# EndFlowModuleExecution (the Return block) ends a flow module; the invoking flow goes on.
TERMINAL_TYPES = frozenset({"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"})
# Seen in real exports; accepted with the generic rules only.
OTHER_TYPES = frozenset({
    "UpdateFlowAttributes", "UpdateContactRoutingBehavior", "UpdateContactEventHooks", "CreateTask",
    "UpdateContactRecordingAndAnalyticsBehavior", "GetMetricData", "ConnectParticipantWithLexBot",
})
# Actions that say nothing to the caller and end nothing: bookkeeping and branching.
SILENT_TYPES = frozenset({
    "UpdateContactAttributes", "UpdateContactTargetQueue", "UpdateFlowLoggingBehavior",
    "UpdateContactRecordingBehavior", "UpdateContactTextToSpeechVoice", "UpdateFlowAttributes",
    "UpdateContactRoutingBehavior", "UpdateContactEventHooks", "UpdateContactRecordingAndAnalyticsBehavior",
    "Compare", "CheckHoursOfOperation", "CheckMetricData", "GetMetricData", "DistributeByPercentage", "Loop",
})
# Types whose condition set covers every outcome, so they need no NextAction (AWS: a Wait must
# list WaitCompleted and every event it waits for).
EXHAUSTIVE_CONDITION_TYPES = frozenset({"CheckHoursOfOperation", "Loop", "Wait"})


# --- error branches -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ErrorBranches:
    """Which ErrorTypes an action may list, must list (an error), and should list (a warning)."""

    allowed: frozenset[str]
    required: frozenset[str] = frozenset()
    expected: frozenset[str] = frozenset()


def _branches(allowed: Iterable[str], required: Iterable[str] = frozenset(), expected: Iterable[str] = frozenset()) -> ErrorBranches:
    return ErrorBranches(frozenset(allowed), frozenset(required), frozenset(expected))


_NONE = _branches(set())
# A row of the table that lists only NoMatchingError: the generic pair is allowed, the error
# branch is optional, and leaving it out is a caller-experience warning.
_GENERIC = _branches(GENERIC_ERRORS, expected={NO_MATCHING_ERROR})

_ERROR_BRANCHES: dict[str, ErrorBranches] = {
    "MessageParticipant": _GENERIC,
    "InvokeLambdaFunction": _GENERIC,
    "UpdateContactAttributes": _GENERIC,
    "Compare": _branches({NO_MATCHING_CONDITION}, expected={NO_MATCHING_CONDITION}),
    "CheckHoursOfOperation": _GENERIC,
    "UpdateContactTargetQueue": _GENERIC,
    "TransferContactToQueue": _branches(GENERIC_ERRORS | {QUEUE_AT_CAPACITY}, expected={QUEUE_AT_CAPACITY, NO_MATCHING_ERROR}),
    "DequeueContactAndTransferToQueue": _branches(GENERIC_ERRORS | {QUEUE_AT_CAPACITY}, expected={QUEUE_AT_CAPACITY, NO_MATCHING_ERROR}),
    "CreateCallbackContact": _GENERIC,
    "UpdateContactCallbackNumber": _branches(
        GENERIC_ERRORS | {"InvalidCallbackNumber", "CallbackNumberNotDialable"},
        expected={"InvalidCallbackNumber", "CallbackNumberNotDialable"},
    ),
    "TransferToFlow": _GENERIC,
    "InvokeFlowModule": _GENERIC,
    "Loop": _NONE,
    "DistributeByPercentage": _branches(GENERIC_ERRORS, expected={NO_MATCHING_CONDITION}),
    "UpdateContactRecordingBehavior": _NONE,
    "UpdateContactTextToSpeechVoice": _NONE,
    "UpdateFlowLoggingBehavior": _NONE,
    "DisconnectParticipant": _NONE,
    "EndFlowExecution": _NONE,
    "EndFlowModuleExecution": _NONE,
}


def _input_error_branches(action: Action) -> ErrorBranches:
    store_input = action.parameters.get("StoreInput")
    if store_input == "False":
        menu = {NO_MATCHING_ERROR, NO_MATCHING_CONDITION, INPUT_TIME_LIMIT_EXCEEDED}
        return _branches(menu, required={NO_MATCHING_ERROR}, expected=menu - {NO_MATCHING_ERROR})
    phone = lookup(action.parameters, ("InputValidation", "PhoneNumberValidation")) is not None
    if store_input == "True":
        extra = {INVALID_PHONE_NUMBER} if phone else set()
        return _branches({NO_MATCHING_ERROR} | extra, required={NO_MATCHING_ERROR}, expected=extra)
    # StoreInput missing or not static: its own rule reports that; judge only what is sure.
    return _branches(GENERIC_ERRORS | {INPUT_TIME_LIMIT_EXCEEDED, INVALID_PHONE_NUMBER}, required={NO_MATCHING_ERROR})


def _metric_error_branches(action: Action) -> ErrorBranches:
    metric = metric_type(action)
    if metric in AGENT_METRICS:
        return _branches({NO_MATCHING_ERROR}, expected={NO_MATCHING_ERROR})
    if metric in QUEUE_METRICS:
        return _branches(GENERIC_ERRORS, expected=GENERIC_ERRORS)
    return _branches(GENERIC_ERRORS)


def metric_type(action: Action) -> str | None:
    """CheckMetricData's MetricType when it is a string (parameter-kind reports anything else)."""
    metric = action.parameters.get("MetricType")
    return metric if isinstance(metric, str) else None


_ERROR_BRANCH_FUNCTIONS: dict[str, Callable[[Action], ErrorBranches]] = {
    "GetParticipantInput": _input_error_branches,
    "CheckMetricData": _metric_error_branches,
}


def error_branches(action: Action) -> ErrorBranches | None:
    """The error-branch policy of an action's type; None for types the table does not cover."""
    if action.type is None:
        return None
    if action.type in _ERROR_BRANCH_FUNCTIONS:
        return _ERROR_BRANCH_FUNCTIONS[action.type](action)
    return _ERROR_BRANCHES.get(action.type)


# --- conditions -----------------------------------------------------------------------------------

TAKES_NO_CONDITIONS = frozenset({
    "MessageParticipant", "InvokeLambdaFunction", "UpdateContactAttributes", "UpdateContactTargetQueue",
    "TransferContactToQueue", "DequeueContactAndTransferToQueue", "CreateCallbackContact", "UpdateContactCallbackNumber", "TransferToFlow",
    "InvokeFlowModule", "UpdateContactRecordingBehavior", "UpdateContactTextToSpeechVoice",
    "UpdateFlowLoggingBehavior", "DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution",
})
NEEDS_CONDITIONS = frozenset({"Compare", "DistributeByPercentage"})
# Types whose conditions must be exactly this set of (Operator, operand) pairs.
EXACT_CONDITION_SETS: dict[str, frozenset[tuple[str, str]]] = {
    "CheckHoursOfOperation": frozenset({("Equals", "True"), ("Equals", "False")}),
    "Loop": frozenset({("Equals", "ContinueLooping"), ("Equals", "DoneLooping")}),
}

# --- parameters -----------------------------------------------------------------------------------

KNOWN_TYPES = frozenset(_ERROR_BRANCHES) | frozenset(_ERROR_BRANCH_FUNCTIONS) | {"Wait"}

REQUIRED_PARAMETERS: dict[str, tuple[str, ...]] = {
    "GetParticipantInput": ("StoreInput", "InputTimeLimitSeconds"),
    "InvokeLambdaFunction": ("LambdaFunctionARN", "InvocationTimeLimitSeconds"),
    "UpdateContactAttributes": ("Attributes",),
    "Compare": ("ComparisonValue",),
    "CheckMetricData": ("MetricType",),
    "CreateCallbackContact": ("InitialCallDelaySeconds", "MaximumConnectionAttempts", "RetryDelaySeconds"),
    "UpdateContactCallbackNumber": ("CallbackNumber",),
    "TransferToFlow": ("ContactFlowId",),
    "InvokeFlowModule": ("FlowModuleId",),
    "Loop": ("LoopCount",),
    "UpdateContactRecordingBehavior": ("RecordingBehavior",),
    "UpdateContactTextToSpeechVoice": ("TextToSpeechVoice",),
    "UpdateFlowLoggingBehavior": ("FlowLoggingBehavior",),
}


@dataclass(frozen=True)
class Choice:
    """How many of `names` an action of a type may set."""

    names: tuple[str, ...]
    minimum: int
    maximum: int


PARAMETER_CHOICES: dict[str, Choice] = {
    "MessageParticipant": Choice(("Text", "SSML", "PromptId", "Media"), 1, 1),
    # AWS: every prompt of GetParticipantInput is optional; two are refused. No prompt at all is
    # a caller-experience problem (cx-input-without-prompt), not a refusal.
    "GetParticipantInput": Choice(("Text", "SSML", "PromptId", "Media"), 0, 1),
    "UpdateContactTargetQueue": Choice(("QueueId", "AgentId"), 1, 1),
    # AWS: neither means the contact's target queue.
    "CheckMetricData": Choice(("QueueId", "AgentId"), 0, 1),
    "CreateCallbackContact": Choice(("QueueId", "AgentId"), 0, 1),
    "DequeueContactAndTransferToQueue": Choice(("QueueId", "AgentId"), 0, 1),
}


class ValueKind(Enum):
    """What a parameter value may be: the three kinds of the flow-language reference."""

    STATIC = "static"  # a literal: no JSONPath
    STATIC_OR_PATH = "static or one whole JSONPath"
    PATH = "one whole JSONPath"


_S, _SP, _P = ValueKind.STATIC, ValueKind.STATIC_OR_PATH, ValueKind.PATH
# type -> parameter path -> kind. Parameters not listed are free (text with JSONPath inside allowed).
PARAMETER_KINDS: dict[str, dict[tuple[str, ...], ValueKind]] = {
    "MessageParticipant": {("PromptId",): _SP},
    "GetParticipantInput": {
        ("PromptId",): _SP,
        ("InputTimeLimitSeconds",): _S,
        ("StoreInput",): _S,
        ("InputValidation", "PhoneNumberValidation", "NumberFormat"): _S,
        ("InputValidation", "CustomValidation", "MaximumLength"): _S,
    },
    "InvokeLambdaFunction": {
        ("LambdaFunctionARN",): _SP,
        ("InvocationTimeLimitSeconds",): _S,
        ("InvocationType",): _S,
        ("ResponseValidation", "ResponseType"): _S,
    },
    "Compare": {("ComparisonValue",): _P},
    "CheckHoursOfOperation": {("HoursOfOperationId",): _SP},
    "CheckMetricData": {("MetricType",): _S, ("QueueId",): _SP, ("AgentId",): _SP},
    "UpdateContactTargetQueue": {("QueueId",): _SP, ("AgentId",): _SP},
    "CreateCallbackContact": {("QueueId",): _SP, ("AgentId",): _SP},
    "DequeueContactAndTransferToQueue": {("QueueId",): _SP, ("AgentId",): _SP},
    "UpdateContactCallbackNumber": {("CallbackNumber",): _P},
    "TransferToFlow": {("ContactFlowId",): _SP},
    "InvokeFlowModule": {("FlowModuleId",): _SP},
    # AWS: "Must either be fully static or fully dynamic".
    "Loop": {("LoopCount",): _SP},
    "UpdateContactTextToSpeechVoice": {("TextToSpeechEngine",): _S, ("TextToSpeechVoice",): _SP},
    "UpdateFlowLoggingBehavior": {("FlowLoggingBehavior",): _S},
}

# (type, parameter path) -> the values Connect accepts.
ALLOWED_VALUES: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {
    ("GetParticipantInput", ("StoreInput",)): frozenset({"True", "False"}),
    ("GetParticipantInput", ("InputValidation", "PhoneNumberValidation", "NumberFormat")): frozenset({"Local", "E164"}),
    ("InvokeLambdaFunction", ("InvocationType",)): frozenset({"SYNCHRONOUS", "ASYNCHRONOUS"}),
    ("InvokeLambdaFunction", ("ResponseValidation", "ResponseType")): frozenset({"STRING_MAP", "JSON"}),
    ("CheckMetricData", ("MetricType",)): AGENT_METRICS | QUEUE_METRICS,
    ("UpdateFlowLoggingBehavior", ("FlowLoggingBehavior",)): frozenset({"Enabled", "Disabled"}),
}

# (type, parameter path) -> inclusive integer range (None: no upper bound).
INTEGER_RANGES: dict[tuple[str, tuple[str, ...]], tuple[int, int | None]] = {
    ("GetParticipantInput", ("InputTimeLimitSeconds",)): (1, None),
    ("GetParticipantInput", ("InputValidation", "CustomValidation", "MaximumLength")): (1, None),
    ("Loop", ("LoopCount",)): (0, 100),
    ("CreateCallbackContact", ("InitialCallDelaySeconds",)): (1, 259200),
    ("CreateCallbackContact", ("MaximumConnectionAttempts",)): (1, None),
}

SYNCHRONOUS_LAMBDA_LIMIT_SECONDS = (1, 8)
ASYNCHRONOUS_LAMBDA_LIMIT_SECONDS = (1, 60)


# --- flow types -----------------------------------------------------------------------------------

# Metadata.type of a flow file (as the console exports it) -> AWS::Connect::ContactFlow Type.
FLOW_TYPES = {
    "contactFlow": "CONTACT_FLOW", "customerQueue": "CUSTOMER_QUEUE", "customerHold": "CUSTOMER_HOLD",
    "customerWhisper": "CUSTOMER_WHISPER", "agentHold": "AGENT_HOLD", "agentWhisper": "AGENT_WHISPER",
    "outboundWhisper": "OUTBOUND_WHISPER", "agentTransfer": "AGENT_TRANSFER", "queueTransfer": "QUEUE_TRANSFER",
}
_INBOUND_AND_TRANSFER = frozenset({"contactFlow", "agentTransfer", "queueTransfer"})
_WITH_A_CALLER = _INBOUND_AND_TRANSFER | {"customerQueue"}  # not whisper or hold flows
_WHISPER = frozenset({"customerWhisper", "agentWhisper", "outboundWhisper"})
_HOLD = frozenset({"customerHold", "agentHold"})
# Action type -> the flow types it runs in, from each action's "Restrictions" in AWS's flow-language
# reference; types not listed run in any flow.
RUNS_IN_FLOW_TYPES: dict[str, frozenset[str]] = {
    "TransferContactToQueue": _INBOUND_AND_TRANSFER,
    "UpdateContactTargetQueue": _INBOUND_AND_TRANSFER,
    "TransferToFlow": _INBOUND_AND_TRANSFER,
    "InvokeFlowModule": frozenset({"contactFlow"}),
    "DequeueContactAndTransferToQueue": frozenset({"customerQueue"}),
    "CreateCallbackContact": _WITH_A_CALLER,
    "UpdateContactCallbackNumber": _WITH_A_CALLER,
    "CheckHoursOfOperation": _WITH_A_CALLER,
    "CheckMetricData": _WITH_A_CALLER,
    "DisconnectParticipant": _WITH_A_CALLER,
    "UpdateContactRecordingBehavior": _WITH_A_CALLER | {"outboundWhisper"},
    "MessageParticipant": frozenset(FLOW_TYPES) - _HOLD,
    "EndFlowExecution": _WHISPER | {"customerQueue"},
}
# The flow types a TransferToFlow can go to (AWS, the "Transfer to flow" block: another type takes
# the error branch at run time).
TRANSFER_TARGET_TYPES = _INBOUND_AND_TRANSFER
# Actions that run in flow modules only (AWS: "This action is available only in flow modules").
MODULE_ONLY_TYPES = frozenset({"EndFlowModuleExecution"})
# What to use instead, where AWS has an action for the same purpose in that kind of flow.
INSTEAD_IN_FLOW_TYPE: dict[tuple[str, str], str] = {
    ("TransferContactToQueue", "customerQueue"): "DequeueContactAndTransferToQueue (with the QueueId) moves a waiting caller to another queue",
    ("UpdateContactTargetQueue", "customerQueue"): "DequeueContactAndTransferToQueue takes the QueueId itself",
    ("EndFlowExecution", "contactFlow"): "DisconnectParticipant ends the call",
}
