"""Connect's testing language ("Version": "2025-06-21"), as far as this app writes it: the documented
shapes, checked at synth so that CloudFormation never receives a test case Connect would refuse.

Documented in the Amazon Connect Administrator and API guides (testing language: observations,
events, actions): an observation is one event the system must produce (`TestInitiated`,
`TestCompleted`, `MessageReceived` with a text matched by `Inclusion` or `Similarity`,
`FlowActionStarted` with a flow-language action type and its parameters) and the actions the
test takes then (`SendInstruction`: the customer's DTMF or utterance; `OverrideSystemBehavior`:
a flow action answered by a substitute resource), each with an identifier and a transition to
the next. `check` names the first thing wrong in each place, or nothing.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

VERSION = "2025-06-21"
EVENT_TYPES = ("TestInitiated", "TestCompleted", "MessageReceived", "FlowActionStarted")
ACTION_TYPES = ("SendInstruction", "OverrideSystemBehavior")
MESSAGE_PROPERTIES = ("PromptId", "Text", "SSML", "Media", "MatchingCriteria")
MATCHING_CRITERIA = ("Inclusion", "Similarity")
USAGE_TYPES = ("EXACTLY",)


def check(document: Any) -> list[str]:
    """What is wrong with a test case's content; empty when it has the documented shape."""
    if not isinstance(document, Mapping):
        return ["the content must be a JSON object"]
    problems = []
    if document.get("Version") != VERSION:
        problems.append(f"Version must be {VERSION!r}, got {document.get('Version')!r}")
    if not isinstance(document.get("Metadata", {}), Mapping):
        problems.append("Metadata must be an object")
    observations = document.get("Observations")
    if not isinstance(observations, list) or not observations:
        return [*problems, "Observations must be a non-empty list"]
    identifiers = [o.get("Identifier") if isinstance(o, Mapping) else None for o in observations]
    if len(set(identifiers)) != len(identifiers):
        problems.append("observation identifiers must be unique")
    for observation in observations:
        problems += _observation(observation, set(identifiers))
    return problems


def _observation(observation: Any, identifiers: set[Any]) -> list[str]:
    if not isinstance(observation, Mapping) or not isinstance(observation.get("Identifier"), str) or not observation["Identifier"]:
        return ["every observation must be an object with an Identifier"]
    where = f"observation {observation['Identifier']}"
    problems = _event(observation.get("Event"), where)
    if (observation.get("Usage") or {}).get("Type") not in USAGE_TYPES:
        problems.append(f"{where}: Usage.Type must be one of {USAGE_TYPES}")
    following = (observation.get("Transitions") or {}).get("NextObservations", [])
    if not isinstance(following, list) or any(name not in identifiers for name in following):
        problems.append(f"{where}: Transitions.NextObservations must name observations of this test, got {following!r}")
    actions = observation.get("Actions", [])
    if not isinstance(actions, list):
        return [*problems, f"{where}: Actions must be a list"]
    action_ids = {a.get("Identifier") for a in actions if isinstance(a, Mapping)}
    if len(action_ids) != len(actions):
        problems.append(f"{where}: action identifiers must be unique")
    for action in actions:
        problems += _action(action, action_ids, where)
    return problems


def _event(event: Any, where: str) -> list[str]:
    if not isinstance(event, Mapping) or event.get("Type") not in EVENT_TYPES:
        return [f"{where}: Event.Type must be one of {EVENT_TYPES}"]
    problems = [] if event.get("Actor") == "System" else [f"{where}: Event.Actor must be System"]
    if not isinstance(event.get("Identifier"), str) or not event["Identifier"]:
        problems.append(f"{where}: Event.Identifier must be given (the console needs it)")
    properties = event.get("Properties")
    if not isinstance(properties, Mapping):
        return [*problems, f"{where}: Event.Properties must be an object"]
    kind = event["Type"]
    if kind in ("TestInitiated", "TestCompleted") and properties:
        problems.append(f"{where}: a {kind} event has no properties")
    if kind == "MessageReceived":
        unknown = sorted(set(properties) - set(MESSAGE_PROPERTIES))
        if unknown or not any(properties.get(k) for k in ("PromptId", "Text", "SSML", "Media")):
            problems.append(f"{where}: a MessageReceived event matches a PromptId, Text, SSML or Media (and nothing else: {unknown})")
        if properties.get("MatchingCriteria") not in MATCHING_CRITERIA:
            problems.append(f"{where}: MatchingCriteria must be one of {MATCHING_CRITERIA}")
    if kind == "FlowActionStarted" and (not isinstance(properties.get("ActionType"), str)
                                        or not isinstance(properties.get("ActionParameters", {}), Mapping)):
        problems.append(f"{where}: a FlowActionStarted event names a flow action type and its parameters")
    return problems


def _action(action: Any, action_ids: set[Any], where: str) -> list[str]:
    if not isinstance(action, Mapping) or action.get("Type") not in ACTION_TYPES:
        return [f"{where}: an action's Type must be one of {ACTION_TYPES}"]
    kind, parameters = action["Type"], action.get("Parameters") or {}
    problems = [] if parameters.get("ActionType") == kind else [f"{where}: action {action.get('Identifier')}: Parameters.ActionType must be {kind}"]
    next_action = (action.get("Transitions") or {}).get("NextAction", "")
    if next_action and next_action not in action_ids:
        problems.append(f"{where}: action {action.get('Identifier')}: NextAction {next_action!r} is not an action of this observation")
    if kind == "SendInstruction":
        instruction = parameters.get("Instruction") or {}
        value = (instruction.get("Properties") or {}).get("Value")
        if parameters.get("Actor") != "Customer" or instruction.get("Type") != "DtmfInput" or not isinstance(value, str) or not value:
            problems.append(f"{where}: a SendInstruction here is the customer's DtmfInput with a Value")
    else:
        behavior = parameters.get("Behavior") or {}
        properties = behavior.get("Properties") or {}
        strategy = properties.get("Strategy") or {}
        if behavior.get("Type") != "FlowAction" or not isinstance(properties.get("ActionType"), str) \
                or strategy.get("Type") != "SubstituteResource" or not strategy.get("SubstituteArn"):
            problems.append(f"{where}: an OverrideSystemBehavior here substitutes a resource of a FlowAction")
    return problems
