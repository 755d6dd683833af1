"""Rules of the flow language itself: what Amazon Connect refuses, or a flow that cannot run.

Each rule is one function registered in the rule table (flow_language.registry). Most are errors;
the few warnings are things Connect accepts that are almost certainly mistakes (a literal ARN in
a source file, an action nothing leads to, a condition that can never be true).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from flow_language import catalog
from flow_language.model import (
    Action,
    Condition,
    Flow,
    contains_jsonpath,
    is_whole_jsonpath,
    json_kind,
    lookup,
    static_integer,
)
from flow_language.placeholders import PLACEHOLDER_PATTERN, placeholders_in
from flow_language.registry import DOCUMENT, ERROR, WARNING, Context, Finding, rule

# --- helpers --------------------------------------------------------------------------------------


def show(value: Any, limit: int = 100) -> str:
    """A value as the flow file spells it, shortened for one line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def and_list(items: Iterable[str], conjunction: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def raw_actions(context: Context) -> list[tuple[int, Any]]:
    actions = context.document.get("Actions")
    return list(enumerate(actions)) if isinstance(actions, list) else []


def locator(index: int, raw: Any) -> str:
    """How a problem names an action: its Identifier, or its position when it has none."""
    identifier = raw.get("Identifier") if isinstance(raw, Mapping) else None
    return identifier if isinstance(identifier, str) and identifier else f"Actions[{index}]"


def describe(action: Action) -> str:
    """The action's type, with the parameter that changes what it may do."""
    if action.type == "GetParticipantInput" and "StoreInput" in action.parameters:
        return f"GetParticipantInput with StoreInput {show(action.parameters['StoreInput'])}"
    if action.type == "CheckMetricData" and "MetricType" in action.parameters:
        return f"CheckMetricData with MetricType {show(action.parameters['MetricType'])}"
    return str(action.type)


def condition_text(condition: Condition) -> str:
    operand = condition.operand if condition.operand is not None else show(condition.operands)
    return f"{condition.operator} {operand}"


def parameter(path: tuple[str, ...]) -> str:
    return ".".join(path)


def walk_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, string) for every string value inside a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from walk_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from walk_strings(item, f"{path}[{position}]")


def strings_by_action(context: Context) -> tuple[tuple[str, str, str], ...]:
    """(action locator, path, string) for every string of the document, attributed to an action
    when it sits in that action or in its designer metadata (Metadata.ActionMetadata.<id>).
    Collected once per flow checked: the placeholder and literal-id rules both read them all."""
    return context.once(_collect_strings)


def _collect_strings(context: Context) -> tuple[tuple[str, str, str], ...]:
    found = [(locator(index, raw), path, text) for index, raw in raw_actions(context) for path, text in walk_strings(raw)]
    for key, value in context.document.items():
        if key == "Metadata" and isinstance(value, Mapping):
            found += _metadata_strings(context, value)
        elif key != "Actions":
            found += [(DOCUMENT, path, text) for path, text in walk_strings(value, key)]
    return tuple(found)


def _metadata_strings(context: Context, metadata: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    action_metadata = metadata.get("ActionMetadata")
    for key, value in metadata.items():
        if key == "ActionMetadata" and isinstance(action_metadata, Mapping):
            for identifier, entry in action_metadata.items():
                owned = identifier in context.flow.by_id
                for path, text in walk_strings(entry):
                    if owned:
                        yield identifier, f"designer metadata {path}", text
                    else:
                        yield DOCUMENT, f"Metadata.ActionMetadata.{identifier}.{path}", text
        else:
            for path, text in walk_strings(value, f"Metadata.{key}"):
                yield DOCUMENT, path, text


# --- document and action shape --------------------------------------------------------------------

_DOCUMENT_KEYS = (("Version", str, "a string"), ("StartAction", str, "a string (an action Identifier)"),
                  ("Actions", list, "a list of actions"))


@rule("document-shape", ERROR, "the document has Version, StartAction and Actions of the right types")
def document_shape(context: Context) -> Iterator[Finding]:
    for key, expected_type, expected in _DOCUMENT_KEYS:
        if key not in context.document:
            yield Finding(DOCUMENT, f"the flow has no {key}; a flow needs Version, StartAction and Actions")
        elif not isinstance(context.document[key], expected_type):
            yield Finding(DOCUMENT, f"{key} must be {expected}, not {json_kind(context.document[key])}")
    if "Metadata" in context.document and not isinstance(context.document["Metadata"], Mapping):
        yield Finding(DOCUMENT, f"Metadata must be an object, not {json_kind(context.document['Metadata'])}")


@rule("action-shape", ERROR, "every action is an object with Identifier, Type, Transitions of the right types")
def action_shape(context: Context) -> Iterator[Finding]:
    for index, raw in raw_actions(context):
        where = locator(index, raw)
        if not isinstance(raw, Mapping):
            yield Finding(where, f"Actions[{index}] must be an action object, not {json_kind(raw)}")
            continue
        for message in _action_shape_problems(raw):
            yield Finding(where, message)


def _action_shape_problems(raw: Mapping[str, Any]) -> Iterator[str]:
    for key in ("Identifier", "Type"):
        if not isinstance(raw.get(key), str):
            yield f"{key} must be a string, not {json_kind(raw.get(key))}" if key in raw else f"the action has no {key}"
    if "Parameters" in raw and not isinstance(raw["Parameters"], Mapping):
        yield f"Parameters must be an object, not {json_kind(raw['Parameters'])}"
    transitions = raw.get("Transitions")
    if transitions is None:
        yield 'the action has no Transitions; a terminal action has "Transitions": {}'
    elif not isinstance(transitions, Mapping):
        yield f"Transitions must be an object, not {json_kind(transitions)}"
    else:
        yield from _transition_shape_problems(transitions)


def _transition_shape_problems(transitions: Mapping[str, Any]) -> Iterator[str]:
    if "NextAction" in transitions and not isinstance(transitions["NextAction"], str):
        yield f"NextAction must be a string (an action Identifier), not {json_kind(transitions['NextAction'])}"
    for key, entry_problems in (("Errors", _error_entry_problems), ("Conditions", _condition_entry_problems)):
        entries = transitions.get(key, [])
        if not isinstance(entries, list):
            yield f"{key} must be a list, not {json_kind(entries)}"
            continue
        for position, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                yield f"{key}[{position}] must be an object, not {json_kind(entry)}"
            else:
                yield from (f"{key}[{position}] {problem}" for problem in entry_problems(entry))


def _error_entry_problems(entry: Mapping[str, Any]) -> Iterator[str]:
    if not isinstance(entry.get("ErrorType"), str):
        yield "needs an ErrorType (a string)"
    if not isinstance(entry.get("NextAction"), str):
        yield "needs a NextAction (an action Identifier)"


def _condition_entry_problems(entry: Mapping[str, Any]) -> Iterator[str]:
    if not isinstance(entry.get("NextAction"), str):
        yield "needs a NextAction (an action Identifier)"
    condition = entry.get("Condition")
    if not isinstance(condition, Mapping):
        yield "needs a Condition object with Operator and Operands"
    elif not isinstance(condition.get("Operator"), str) or "Operands" not in condition:
        yield "Condition needs an Operator (a string) and Operands (a list)"


@rule("version", ERROR, 'Version is "2019-10-30"')
def version(context: Context) -> Iterator[Finding]:
    value = context.document.get("Version")
    if isinstance(value, str) and value != catalog.FLOW_VERSION:
        yield Finding(DOCUMENT, f'Version is {show(value)}; the flow language has one version, "{catalog.FLOW_VERSION}"')


@rule("action-count", ERROR, f"at most {catalog.MAX_ACTIONS} actions in one flow")
def action_count(context: Context) -> Iterator[Finding]:
    count = len(raw_actions(context))
    if count > catalog.MAX_ACTIONS:
        yield Finding(DOCUMENT, f"the flow has {count} actions; Connect allows at most {catalog.MAX_ACTIONS}: "
                                "move a part into a flow module or another flow")


@rule("content-size", ERROR, f"the flow is at most {catalog.MAX_CONTENT_CHARACTERS:,} characters of JSON")
def content_size(context: Context) -> Iterator[Finding]:
    size = len(json.dumps(context.document, ensure_ascii=False, separators=(",", ":")))
    if size > catalog.MAX_CONTENT_CHARACTERS:
        yield Finding(DOCUMENT, f"the flow is {size:,} characters even as compact JSON; a flow's Content is at most "
                                f"{catalog.MAX_CONTENT_CHARACTERS:,}: shorten prompts or split the flow")


# --- identifiers and transitions ------------------------------------------------------------------

@rule("identifier", ERROR, "identifiers are 1 to 50 characters, without the characters Connect forbids")
def identifier(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        name, where = action.identifier, action.identifier or f"Actions[{action.index}]"
        if not 1 <= len(name) <= catalog.MAX_IDENTIFIER_LENGTH:
            yield Finding(where, f"Identifier is {len(name)} characters long; Connect allows 1 to {catalog.MAX_IDENTIFIER_LENGTH}")
        forbidden = sorted(set(name) & catalog.FORBIDDEN_IDENTIFIER_CHARACTERS)
        if forbidden:
            yield Finding(where, f"Identifier contains {' '.join(forbidden)}; Connect refuses any of "
                                 f"{' '.join(sorted(catalog.FORBIDDEN_IDENTIFIER_CHARACTERS))} in an Identifier")
        if name in catalog.RESERVED_IDENTIFIERS:
            yield Finding(where, f"Identifier {show(name)} is a name Connect reserves; choose another")


@rule("identifier-unique", ERROR, "no two actions share an Identifier")
def identifier_unique(context: Context) -> Iterator[Finding]:
    positions: dict[str, list[int]] = {}
    for action in context.flow.actions:
        positions.setdefault(action.identifier, []).append(action.index)
    for name, indexes in positions.items():
        if len(indexes) > 1:
            places = and_list(f"Actions[{index}]" for index in indexes)
            yield Finding(name, f"{len(indexes)} actions share this Identifier ({places}); each action needs its own")


@rule("start-action", ERROR, "StartAction names an action")
def start_action(context: Context) -> Iterator[Finding]:
    start = context.flow.start_action
    if start is not None and start not in context.flow.by_id:
        yield Finding(DOCUMENT, f"StartAction {show(start)} is not the Identifier of any action")


@rule("next-action", ERROR, "every NextAction (of NextAction, Errors and Conditions) names an action")
def next_action(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        for branch in action.branches():
            if branch.target not in context.flow.by_id:
                yield Finding(action.identifier, f"{branch.label} leads to {show(branch.target)}, "
                                                 "which is not the Identifier of any action")


@rule("terminal", ERROR, "actions that end the flow (DisconnectParticipant, EndFlowExecution, EndFlowModuleExecution) have empty Transitions")
def terminal(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type(*catalog.TERMINAL_TYPES):
        filled = [key for key, value in action.transitions.items() if value not in ([], {}, None)]
        if filled:
            yield Finding(action.identifier, f"{action.type} ends the flow, so its Transitions must be {{}}; "
                                             f"remove {and_list(filled)}")


@rule("flow-type", ERROR, "Metadata.type is a flow type, and every action runs in that type of flow (or module)")
def flow_type(context: Context) -> Iterator[Finding]:
    if context.module:
        return  # a module has no flow type; it runs inside whichever flow invokes it
    for action in context.flow.of_type(*catalog.MODULE_ONLY_TYPES):
        yield Finding(action.identifier, f"{action.type} returns from a flow module, and this file is a flow (its "
                                         "Metadata.type names a flow type); a module has top-level Settings and no flow type")
    metadata = context.document.get("Metadata")
    kind = metadata.get("type") if isinstance(metadata, Mapping) else None
    if kind is None:
        return  # an export without it: nothing to hold the actions to
    if not isinstance(kind, str) or kind not in catalog.FLOW_TYPES:
        yield Finding(DOCUMENT, f"Metadata.type {show(kind)} is not a flow type; expected one of {and_list(sorted(catalog.FLOW_TYPES), 'or')}")
        return
    for action in context.flow.actions:
        spec = catalog.spec_of(action)
        if spec is None or spec.flow_types is None or kind in spec.flow_types:
            continue
        instead = catalog.INSTEAD_IN_FLOW_TYPE.get((spec.type, kind))
        yield Finding(action.identifier, f"{action.type} cannot run in a flow of type {kind} (Metadata.type), only in "
                                         f"{and_list(sorted(spec.flow_types), 'or')} flows" + (f"; {instead}" if instead else ""))


@rule("missing-next-action", ERROR, "an action that does not end the flow has a NextAction")
def missing_next_action(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        spec = catalog.spec_of(action)
        if spec is None or spec.terminal or spec.exhaustive or not spec.needs_next_action:
            continue
        if "NextAction" not in action.transitions:
            yield Finding(action.identifier, f"{action.type} has no NextAction: the flow would stop here "
                                             "without ending the contact; add the action to run next")


# --- error branches -------------------------------------------------------------------------------

@rule("error-types", ERROR, "each ErrorType is one the action's type can raise")
def error_types(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        policy = catalog.error_branches(action)
        if policy is None:
            continue
        for error in action.errors:
            if error.error_type in policy.allowed:
                continue
            if policy.allowed:
                allowed = and_list(sorted(policy.allowed), "or")
                yield Finding(action.identifier, f"{describe(action)} cannot raise {error.error_type}; "
                                                 f"its error branches are {allowed}")
            else:
                yield Finding(action.identifier, f"{describe(action)} has no error branches; "
                                                 f"remove the {error.error_type} entry")


@rule("required-error-branch", ERROR, "branches the flow language requires are present")
def required_error_branch(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        policy = catalog.error_branches(action)
        for missing in sorted(policy.required - action.error_types) if policy else ():
            yield Finding(action.identifier, f"{action.type} must have an error branch for {missing}")


@rule("duplicate-branch", WARNING, "no ErrorType or condition is listed twice")
def duplicate_branch(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        seen_errors: set[str] = set()
        for error in action.errors:
            if error.error_type in seen_errors:
                yield Finding(action.identifier, f"{error.error_type} is listed twice in Errors; "
                                                 "only the first entry can ever run")
            seen_errors.add(error.error_type)
        seen_conditions: set[tuple[str, str]] = set()
        for condition in action.conditions:
            key = (str(condition.operator), str(condition.operand))
            if condition.operand is not None and key in seen_conditions:
                yield Finding(action.identifier, f"condition {condition_text(condition)} is listed twice; "
                                                 "only the first one can ever match")
            seen_conditions.add(key)


# --- conditions -----------------------------------------------------------------------------------

@rule("conditions", ERROR, "conditions only where the type takes them, and where it needs them")
def conditions(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        spec = catalog.spec_of(action)
        policy = spec.conditions if spec else catalog.Conditions.OPTIONAL
        if policy is catalog.Conditions.NONE and action.conditions:
            yield Finding(action.identifier, f"{action.type} takes no Conditions; branch with a Compare action after it")
        if policy is catalog.Conditions.REQUIRED and not action.conditions:
            yield Finding(action.identifier, f"{action.type} needs at least one condition")
        if len(action.conditions) > catalog.MAX_CONDITIONS:
            yield Finding(action.identifier, f"{len(action.conditions)} conditions; Connect allows at most "
                                             f"{catalog.MAX_CONDITIONS} on one action")


@rule("condition-operator", ERROR, "conditions use a known operator with exactly one string operand")
def condition_operator(context: Context) -> Iterator[Finding]:
    known = and_list(sorted(catalog.OPERATORS), "or")
    for action in context.flow.actions:
        for position, condition in enumerate(action.conditions):
            if condition.operator is not None and condition.operator not in catalog.OPERATORS:
                yield Finding(action.identifier, f"Conditions[{position}] uses operator {show(condition.operator)}, "
                                                 f"which the flow language does not have; use {known}")
            if condition.operands is not None and condition.operand is None:
                # Every operator takes one string operand, so a nested condition is refused here too.
                yield Finding(action.identifier, f"Conditions[{position}] needs exactly one string operand, "
                                                 f"not {show(condition.operands)}")


@rule("number-operand", WARNING, "number operators compare with a number")
def number_operand(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        for condition in action.conditions:
            operand = condition.operand
            if condition.operator not in catalog.NUMBER_OPERATORS or operand is None or _dynamic(context, operand):
                continue
            if _number(operand) is None:
                yield Finding(action.identifier, f"{condition.operator} compares numbers, and {show(operand)} is "
                                                 "not one: the condition is never true")


def _dynamic(context: Context, value: str) -> bool:
    return contains_jsonpath(value) or context.skip_value(value)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@rule("condition-set", ERROR, "CheckHoursOfOperation has exactly Equals True/False; Loop ContinueLooping/DoneLooping")
def condition_set(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        spec = catalog.spec_of(action)
        expected = spec.exact_conditions if spec else frozenset()
        if not expected:
            continue
        wanted = and_list(f"{operator} {operand}" for operator, operand in sorted(expected, reverse=True))
        present = {(condition.operator, condition.operand) for condition in action.conditions}
        missing = sorted(expected - present, reverse=True)
        extra = [condition_text(c) for c in action.conditions if (c.operator, c.operand) not in expected]
        if missing or extra:
            found = "; ".join(filter(None, [
                f"missing {and_list(f'{o} {v}' for o, v in missing)}" if missing else "",
                f"unexpected {and_list(extra)}" if extra else "",
            ]))
            yield Finding(action.identifier, f"{action.type} needs exactly the conditions {wanted}: {found}")


@rule("input-conditions", ERROR, "GetParticipantInput: conditions only with StoreInput False, Equals one key")
def input_conditions(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("GetParticipantInput"):
        store_input = catalog.store_input(action)
        if store_input == "True" and action.conditions:
            yield Finding(action.identifier, 'Conditions are only for StoreInput "False"; to branch on stored input, '
                                             "compare $.StoredCustomerInput in a Compare action")
        if store_input != "False":
            continue
        for condition in action.conditions:
            if condition.operator is not None and condition.operator != "Equals":
                yield Finding(action.identifier, f"menu condition {condition_text(condition)} must use Equals: "
                                                 "the caller presses one key")
            elif condition.operand is not None and condition.operand not in catalog.DTMF_KEYS:
                yield Finding(action.identifier, f"menu condition Equals {show(condition.operand)} can never match: "
                                                 "the caller presses one key, 0-9, * or #")


@rule("metric-conditions", ERROR, "CheckMetricData conditions fit its MetricType")
def metric_conditions(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("CheckMetricData"):
        metric = catalog.metric_type(action)
        for condition in action.conditions:
            if metric in catalog.AGENT_METRICS and (condition.operator, condition.operand) != ("NumberGreaterThan", "0"):
                yield Finding(action.identifier, f"with MetricType {metric} the only condition Connect supports is "
                                                 f"NumberGreaterThan 0, not {condition_text(condition)}")
            elif metric in catalog.QUEUE_METRICS and condition.operator not in catalog.NUMBER_OPERATORS | {"Equals"}:
                yield Finding(action.identifier, f"with MetricType {metric} conditions use Equals or a Number operator, "
                                                 f"not {condition.operator}")


@rule("distribution", WARNING, "DistributeByPercentage splits with rising NumberLessThan thresholds up to 100")
def distribution(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("DistributeByPercentage"):
        previous = 0.0
        for condition in action.conditions:
            threshold = _number(condition.operand) if condition.operand is not None else None
            if condition.operator != "NumberLessThan" or threshold is None:
                yield Finding(action.identifier, f"condition {condition_text(condition)}: a split is NumberLessThan "
                                                 "a cumulative percentage (for 40/60: 40, then 100)")
                return
            if not previous < threshold <= 100:
                yield Finding(action.identifier, f"threshold {condition.operand} must be above the previous one "
                                                 f"({previous:g}) and at most 100: thresholds are cumulative percentages")
                return
            previous = threshold


# --- parameters -----------------------------------------------------------------------------------

def _with_specs(context: Context) -> Iterator[tuple[Action, catalog.ActionSpec]]:
    for action in context.flow.actions:
        spec = catalog.spec_of(action)
        if spec is not None:
            yield action, spec


@rule("parameter-required", ERROR, "the parameters each action type needs are present")
def parameter_required(context: Context) -> Iterator[Finding]:
    for action, spec in _with_specs(context):
        for item in spec.parameters:
            parent = lookup(action.parameters, item.path[:-1]) if len(item.path) > 1 else action.parameters
            if item.required and isinstance(parent, Mapping) and item.path[-1] not in parent:
                yield Finding(action.identifier, f"{action.type} needs the parameter {parameter(item.path)}")


@rule("parameter-choice", ERROR, "one-of parameters (Text/SSML/PromptId/Media, QueueId/AgentId, LexV2Bot/LexBot) are set once")
def parameter_choice(context: Context) -> Iterator[Finding]:
    for action, spec in _with_specs(context):
        for choice in spec.choices:
            present = [name for name in choice.names if name in action.parameters]
            if choice.minimum <= len(present) <= choice.maximum:
                continue
            quantity = "exactly one" if choice.minimum == choice.maximum else "at most one"
            has = and_list(present) if present else "none"
            yield Finding(action.identifier, f"{action.type} takes {quantity} of {and_list(choice.names, 'or')}; "
                                             f"it has {has}")


@rule("parameter-kind", ERROR, "parameters that must be static (or one whole JSONPath) are")
def parameter_kind(context: Context) -> Iterator[Finding]:
    for action, spec in _with_specs(context):
        for item in spec.parameters:
            value = lookup(action.parameters, item.path)
            if item.kind is None or value is None or context.skip_value(value):
                continue
            message = _kind_problem(parameter(item.path), value, item.kind)
            if message:
                yield Finding(action.identifier, message)


def _kind_problem(name: str, value: Any, kind: catalog.ValueKind) -> str | None:
    if isinstance(value, (Mapping, list, bool)):
        return f"{name} must be a single value, not {json_kind(value)}"
    if kind is catalog.ValueKind.PATH and not is_whole_jsonpath(value):
        return f"{name} must be one JSONPath such as $.Attributes.orderId, not {show(value)}"
    if kind is catalog.ValueKind.STATIC and contains_jsonpath(value):
        return f"{name} must be static: Connect does not read {show(value)} at run time"
    if kind is catalog.ValueKind.STATIC_OR_PATH and contains_jsonpath(value) and not is_whole_jsonpath(value):
        return f"{name} must be static or one whole JSONPath such as $.Attributes.x, not text around one: {show(value)}"
    return None


@rule("parameter-value", ERROR, "enumerated parameters use an allowed value; numeric ones are in range")
def parameter_value(context: Context) -> Iterator[Finding]:
    for action, spec in _with_specs(context):
        for item in spec.parameters:
            value = lookup(action.parameters, item.path)
            if not _static(context, value):
                continue
            if item.values and value not in item.values:
                yield Finding(action.identifier, f"{parameter(item.path)} must be "
                                                 f"{and_list(sorted(map(show, item.values)), 'or')}, not {show(value)}")
            if item.integers is not None:
                low, high = item.integers
                number = static_integer(value)
                if number is None or number < low or (high is not None and number > high):
                    bounds = f"from {low} to {high}" if high is not None else f"of {low} or more"
                    yield Finding(action.identifier, f"{parameter(item.path)} must be a whole number {bounds}, "
                                                     f"not {show(value)}")


def _static(context: Context, value: Any) -> bool:
    """A literal the rules can judge: a single value, not a placeholder, not a JSONPath (parameter-kind
    reports objects and lists)."""
    return (value is not None and not isinstance(value, (Mapping, list)) and not context.skip_value(value)
            and not contains_jsonpath(value))


def _unknown_parameters(context: Context) -> Iterator[tuple[Action, str, str | None]]:
    """(action, dotted name, the known name it is close to or None) for each parameter, or field of
    an object parameter whose fields the catalog lists, that the action's entry does not know."""
    for action, spec in _with_specs(context):
        for path in spec.closed_objects():
            value = lookup(action.parameters, path) if path else action.parameters
            if not isinstance(value, Mapping):
                continue
            known = spec.fields_of(path)
            for name in value:
                if name not in known:
                    yield action, parameter((*path, str(name))), catalog.closest(str(name), known)


@rule("misspelt-parameter", ERROR, "no parameter name is a near miss of one the action type takes")
def misspelt_parameter(context: Context) -> Iterator[Finding]:
    for action, name, suggestion in _unknown_parameters(context):
        if suggestion is not None:
            yield Finding(action.identifier, f"{action.type} has no parameter {name}; did you mean "
                                             f"{parameter((*name.split('.')[:-1], suggestion))}?")


@rule("unknown-parameter", WARNING, "every parameter is one the catalog knows for the action type")
def unknown_parameter(context: Context) -> Iterator[Finding]:
    for action, name, suggestion in _unknown_parameters(context):
        if suggestion is None:
            yield Finding(action.identifier, f"parameter {name} is not one the catalog knows for {action.type} "
                                             f"(see {catalog.ACTIONS[str(action.type)].url}); it was not checked")


@rule("lambda-time-limit", ERROR, "InvocationTimeLimitSeconds is a whole number 1..8 (asynchronous: 1..60)")
def lambda_time_limit(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("InvokeLambdaFunction"):
        value = action.parameters.get("InvocationTimeLimitSeconds")
        if not _static(context, value):
            continue
        asynchronous = action.parameters.get("InvocationType") == "ASYNCHRONOUS"
        low, high = catalog.ASYNCHRONOUS_LAMBDA_LIMIT_SECONDS if asynchronous else catalog.SYNCHRONOUS_LAMBDA_LIMIT_SECONDS
        seconds = static_integer(value)
        if seconds is None or not low <= seconds <= high:
            call = "an asynchronous" if asynchronous else "a synchronous"
            yield Finding(action.identifier, f"InvocationTimeLimitSeconds must be a whole number of seconds from {low} "
                                             f"to {high} for {call} call, not {show(value)}")


@rule("input-validation", ERROR, "GetParticipantInput: InputValidation exactly with StoreInput True; InputEncryption with CustomValidation")
def input_validation(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("GetParticipantInput"):
        for message in _input_validation_problems(catalog.store_input(action), action.parameters):
            yield Finding(action.identifier, message)


def _input_validation_problems(store_input: object, parameters: Mapping[str, Any]) -> Iterator[str]:
    validation = parameters.get("InputValidation")
    if store_input == "True" and validation is None:
        yield 'StoreInput "True" needs InputValidation with PhoneNumberValidation or CustomValidation'
    elif store_input == "False" and validation is not None:
        yield 'InputValidation is only for StoreInput "True"; remove it, or store the input'
    elif validation is not None and not isinstance(validation, Mapping):
        yield f"InputValidation must be an object, not {json_kind(validation)}"
    elif validation is not None:
        yield from _validation_shape_problems(validation)
    encryption = parameters.get("InputEncryption")
    if encryption is None:
        return
    if lookup(parameters, ("InputValidation", "CustomValidation")) is None:
        yield "InputEncryption works only with InputValidation.CustomValidation"
    elif not isinstance(encryption, Mapping) or not {"EncryptionKeyId", "Key"} <= set(encryption):
        yield "InputEncryption needs EncryptionKeyId and Key"
    elif empty := [name for name in ("EncryptionKeyId", "Key") if encryption[name] in ("", None)]:
        yield (f"InputEncryption.{' and .'.join(empty)} {'is' if len(empty) == 1 else 'are'} empty: Connect encrypts the "
               "input with the certificate in Key, whose public key the instance holds as security key EncryptionKeyId")


def _validation_shape_problems(validation: Mapping[str, Any]) -> Iterator[str]:
    kinds = [name for name in ("PhoneNumberValidation", "CustomValidation") if name in validation]
    if len(kinds) != 1:
        yield "InputValidation takes exactly one of PhoneNumberValidation or CustomValidation"
        return
    settings = validation[kinds[0]]
    if not isinstance(settings, Mapping):
        yield f"InputValidation.{kinds[0]} must be an object, not {json_kind(settings)}"
    elif kinds[0] == "CustomValidation" and "MaximumLength" not in settings:
        yield "InputValidation.CustomValidation needs MaximumLength"
    elif kinds[0] == "PhoneNumberValidation" and "NumberFormat" not in settings:
        yield 'InputValidation.PhoneNumberValidation needs NumberFormat ("Local" or "E164")'
    elif kinds[0] == "PhoneNumberValidation" and settings["NumberFormat"] == "Local" and "CountryCode" not in settings:
        yield 'InputValidation.PhoneNumberValidation with NumberFormat "Local" needs a CountryCode'


@rule("attributes-map", ERROR, "Attributes and LambdaInvocationAttributes map names to strings")
def attributes_map(context: Context) -> Iterator[Finding]:
    for action_type, name in (("UpdateContactAttributes", "Attributes"), ("InvokeLambdaFunction", "LambdaInvocationAttributes")):
        for action in context.flow.of_type(action_type):
            value = action.parameters.get(name)
            if value is None:
                continue
            if not isinstance(value, Mapping):
                yield Finding(action.identifier, f"{name} must be an object of names to strings, not {json_kind(value)}")
                continue
            for key, item in value.items():
                if not isinstance(item, str):
                    yield Finding(action.identifier, f"{name}.{key} must be a string (contact attributes are text), "
                                                     f"not {json_kind(item)}")


# --- placeholders, literal ids, reachability, types ----------------------------------------------

# A `{{...}}` of another tool's template language: a dotted path, `{{contactFlows.Main.arn}}`.
_TEMPLATE_EXPRESSION = re.compile(r"\{\{\s*[A-Za-z_$][\w$-]*(?:\.[\w$-]+)+\s*\}\}")
# One of ours, mis-written: braces around a run that reads as a name (letters, digits, `_`, `-`, `:`
# and spaces, starting with a letter or `_`), opened by `{{` but not written `{{name}}` (`{{ first name }}`,
# `{{ lambda:x }`, `{{website` at the end of the text), or closed by `}}` but opened by one `{`
# (`{website}}`). Braces around anything else are someone else's text, left alone: JSON in a prompt
# (`{"a": {"b": 1}}`), another tool's `{{#if vip}}`, `{{> footer}}` or `{{ name | upper }}`.
_NAME_LIKE = r"\s*[A-Za-z_][\w:\s-]*"
_MISWRITTEN_PLACEHOLDER = re.compile(r"\{\{" + _NAME_LIKE + r"(?:\}|\Z)" + "|" + r"(?<!\{)\{" + _NAME_LIKE + r"\}\}")


@rule("placeholder", ERROR, "placeholders are well formed, and filled in a rendered flow")
def placeholder(context: Context) -> Iterator[Finding]:
    foreign: list[tuple[str, str, str]] = []
    for where, path, text in strings_by_action(context):
        if "{{" not in text and "}}" not in text:
            continue
        ours_removed = PLACEHOLDER_PATTERN.sub("", text)
        expressions = _TEMPLATE_EXPRESSION.findall(ours_removed)
        foreign += [(where, path, expression) for expression in expressions]
        if _MISWRITTEN_PLACEHOLDER.search(_TEMPLATE_EXPRESSION.sub("", ours_removed)):
            yield Finding(where, f"malformed placeholder in {path}: {show(text)}; "
                                 "write {{name}} with letters, digits and underscores")
        if not context.placeholders_allowed:
            for name in placeholders_in(text):
                yield Finding(where, f"placeholder {{{{{name}}}}} in {path} was not filled: "
                                     f"the deploy mapping has no value for {name}")
    if foreign:
        yield _template_syntax(foreign)


def _template_syntax(foreign: list[tuple[str, str, str]]) -> Finding:
    """One finding for a whole flow written in another tool's template syntax: it is not a flow
    until that tool renders it, and each of its expressions would say the same thing."""
    where, path, expression = foreign[0]
    distinct = len({found[2] for found in foreign})
    others = f" and {distinct - 1} other expression{'s' if distinct > 2 else ''}" if distinct > 1 else ""
    places = f"{len(foreign)} place{'s' if len(foreign) > 1 else ''}"
    return Finding(DOCUMENT, f"the flow uses template syntax this app does not fill: {expression}{others}, in "
                             f"{places} (first: {where} {path}); render it with the tool it was written for before "
                             "checking it (this app's placeholders are {{name}}: letters, digits and underscores)")


_ARN = re.compile(r"\barn:aws[a-z-]*:[a-z0-9-]+:")
_ACCOUNT_ID = re.compile(r"(?<![\w.+-])\d{12}(?![\w.-])")
_RESOURCE_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PROMPT_KEYS = ("Text", "SSML")
_USE_PLACEHOLDER = "a flow file deploys unchanged into any instance: use a {{placeholder}} the deploy mapping fills"


@rule("literal-resource-id", WARNING, "no literal ARN, account id or resource id in a flow source file")
def literal_resource_id(context: Context) -> Iterator[Finding]:
    if not context.placeholders_allowed:
        return  # a rendered flow holds the ARNs the deploy filled in
    for where, path, text in strings_by_action(context):
        kind = _literal_kind(path, text)
        if kind:
            yield Finding(where, f"literal {kind} in {path}: {show(text)}; {_USE_PLACEHOLDER}")


def _literal_kind(path: str, text: str) -> str | None:
    if _ARN.search(text):
        return "ARN"
    if not path.endswith(_PROMPT_KEYS) and _ACCOUNT_ID.search(text):
        return "AWS account id"
    if path.startswith("Parameters.") and _RESOURCE_ID.fullmatch(text):
        return "resource id"
    return None


@rule("unreachable", WARNING, "every action can be reached from StartAction")
def unreachable(context: Context) -> Iterator[Finding]:
    """One finding per unreachable region, on its entry: an unreachable action that no other
    unreachable action leads to (one dangling NextAction strands everything behind it; the
    caller fixes the one entry, not each action behind it)."""
    flow = context.flow
    if flow.start_action not in flow.by_id:
        return  # start-action reports the cause
    for entry, behind in _unreachable_regions(flow):
        if not behind:
            yield Finding(entry, "no path from StartAction leads to this action; connect it or delete it")
        else:
            others = "the action" if behind == 1 else f"the {behind} actions"
            yield Finding(entry, f"no path from StartAction leads to this action (nor to {others} only it leads to); "
                                 "connect it or delete it")


def _unreachable_regions(flow: Flow) -> list[tuple[str, int]]:
    """(entry, how many other unreachable actions only this entry leads to), in document order.

    An entry is an unreachable action that no other unreachable action leads to, except the ones
    of its own cycle; of a cycle that nothing outside it leads into, the first action is the entry.
    An action behind two entries counts for neither (it is not *only* theirs).
    """
    stranded = [identifier for identifier in flow.by_id if identifier not in flow.reachable]
    members = set(stranded)

    def behind(entry: str) -> set[str]:
        seen, stack = {entry}, [entry]
        while stack:
            for branch in flow.successors[stack.pop()]:
                if branch.target in members and branch.target not in seen:
                    seen.add(branch.target)
                    stack.append(branch.target)
        return seen - {entry}

    reach = {identifier: behind(identifier) for identifier in stranded}
    order = {identifier: position for position, identifier in enumerate(stranded)}

    def is_entry(identifier: str) -> bool:
        return not any(identifier in reach[other] and (other not in reach[identifier] or order[other] < order[identifier])
                       for other in stranded if other != identifier)

    entries = [identifier for identifier in stranded if is_entry(identifier)]
    claims = Counter(member for entry in entries for member in reach[entry])
    return [(entry, sum(1 for member in reach[entry] if claims[member] == 1)) for entry in entries]


@rule("misspelt-action-type", ERROR, "no action type is a near miss of a type the flow language has")
def misspelt_action_type(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        if action.type is not None and action.type not in catalog.ACTIONS:
            suggestion = catalog.closest(action.type, catalog.ACTIONS)
            if suggestion is not None:
                yield Finding(action.identifier, f"unknown action type {show(action.type)}; did you mean {suggestion}?")


@rule("unknown-action-type", WARNING, "action types are ones the flow language has")
def unknown_action_type(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        if action.type is not None and action.type not in catalog.ACTIONS and not catalog.closest(action.type, catalog.ACTIONS):
            yield Finding(action.identifier, f"unknown action type {show(action.type)}: the catalog does not know it, "
                                             "so only the generic rules were checked")
