"""Small builders for minimal flows, shared by the flow tests.

`flow_with(*actions)` wraps the actions under test in a flow that is otherwise clean under
--strict: a greeting, the actions chained in order (a target written NEXT becomes the following
action), then a goodbye message and the disconnect. Error branches lead to the goodbye; a branch
written AGENT leads to a transfer to the agent queue, added when something leads to it.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from flow_language import validate_flow

START, GOODBYE, END, AGENT = "greeting", "goodbye", "end", "to_agent"
NEXT = "<next>"
CUSTOM = {"CustomValidation": {"MaximumLength": "8"}}  # an InputValidation for stored_input
# Flows exported from Amazon Connect, vendored so the tests need nothing outside the repository.
REFERENCE_FLOWS = Path(__file__).resolve().parents[1] / "reference_flows"


def action(identifier: str, type_: str, parameters: dict | None = None, *, next_action: str | None = NEXT,
           errors: Iterable[str | tuple[str, str]] = ("NoMatchingError",),
           conditions: Iterable[tuple[str, str] | tuple[str, str, str]] = ()) -> dict:
    transitions: dict[str, Any] = {}
    if next_action is not None:
        transitions["NextAction"] = next_action
    transitions["Errors"] = [
        {"ErrorType": error, "NextAction": GOODBYE} if isinstance(error, str)
        else {"ErrorType": error[0], "NextAction": error[1]}
        for error in errors
    ]
    transitions["Conditions"] = [
        {"NextAction": condition[2] if len(condition) > 2 else NEXT,
         "Condition": {"Operator": condition[0], "Operands": [condition[1]]}}
        for condition in conditions
    ]
    result = {"Identifier": identifier, "Type": type_, "Transitions": transitions}
    if parameters is not None:
        result["Parameters"] = parameters
    return result


def message(identifier: str, text: str = "Thanks for calling.", next_action: str = NEXT) -> dict:
    errors = [("NoMatchingError", END if identifier == GOODBYE else GOODBYE)]
    return action(identifier, "MessageParticipant", {"Text": text}, next_action=next_action, errors=errors)


def disconnect(identifier: str = END) -> dict:
    return {"Identifier": identifier, "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}


def transfer_to_agent(identifier: str = AGENT) -> dict:
    return action(identifier, "TransferContactToQueue", next_action=GOODBYE,
                  errors=("QueueAtCapacity", "NoMatchingError"))


def menu(identifier: str, keys: Iterable[str] = ("1", "0"), **parameters: Any) -> dict:
    """A StoreInput False input with one branch per key (0 to AGENT, others to NEXT) and every
    error branch; its NextAction, like the errors', leads to the goodbye (as console exports do)."""
    return action(
        identifier, "GetParticipantInput",
        {"Text": "Press 1 for orders, or 0 for an agent.", "StoreInput": "False", "InputTimeLimitSeconds": "5",
         **parameters},
        errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"),
        conditions=[("Equals", key, AGENT if key == "0" else NEXT) for key in keys], next_action=GOODBYE,
    )


def lambda_invoke(identifier: str = "lookup", *, errors: Iterable[str | tuple[str, str]] = ("NoMatchingError",),
                  **parameters: Any) -> dict:
    return action(identifier, "InvokeLambdaFunction",
                  {"LambdaFunctionARN": "{{order_status_lambda_arn}}", "InvocationTimeLimitSeconds": "8", **parameters},
                  errors=errors)


def compare(identifier: str = "cmp", conditions=(("Equals", "1"),), value: str = "$.Attributes.choice",
            **kwargs: Any) -> dict:
    kwargs.setdefault("errors", ("NoMatchingCondition",))
    return action(identifier, "Compare", {"ComparisonValue": value}, conditions=conditions, **kwargs)


def stored_input(identifier: str = "order_id", *, errors=("NoMatchingError",), conditions=(), **parameters: Any) -> dict:
    """A StoreInput True input (the caller types a number); give it an InputValidation."""
    return action(identifier, "GetParticipantInput",
                  {"Text": "Enter your order number.", "StoreInput": "True", "InputTimeLimitSeconds": "8", **parameters},
                  errors=errors, conditions=conditions)


def flow(*actions: dict, start: str | None = None) -> dict:
    return {"Version": "2019-10-30", "StartAction": start if start is not None else actions[0]["Identifier"],
            "Metadata": {}, "Actions": list(actions)}


def flow_with(*actions: dict) -> dict:
    chain = [message(START, "Welcome."), *copy.deepcopy(actions), message(GOODBYE, "Goodbye.", next_action=END)]
    for position, item in enumerate(chain[:-1]):
        _point_next(item.get("Transitions", {}), chain[position + 1]["Identifier"])
    if AGENT in json.dumps(actions):
        chain.append(transfer_to_agent())
    return flow(*chain, disconnect())


def _point_next(transitions: dict, following: str) -> None:
    if transitions.get("NextAction") == NEXT:
        transitions["NextAction"] = following
    for entry in transitions.get("Conditions", []):
        if entry.get("NextAction") == NEXT:
            entry["NextAction"] = following


def case(rule: str, document: dict, *expected: tuple[str, str], id: str, **options: Any):
    """A rule-test case: the rule, the flow, every (action_id, message) the rule reports for it
    (none: the flow satisfies the rule), and options for validate_flow."""
    return pytest.param(rule, document, list(expected), options, id=id)


def findings(document: Any, rule: str | None = None, **options: Any) -> list[tuple[str, str]]:
    """(action_id, message) of the problems (of one rule, when given) of a source flow."""
    options.setdefault("placeholders_allowed", True)
    problems = validate_flow(document, name="flow.json", **options)
    return [(p.action_id, p.message) for p in problems if rule is None or p.rule == rule]


def rules_hit(document: Any, **options: Any) -> set[str]:
    options.setdefault("placeholders_allowed", True)
    return {p.rule for p in validate_flow(document, name="flow.json", **options)}


def reference_flow_paths() -> list[Path]:
    return sorted(REFERENCE_FLOWS.glob("*.json"))
