"""Where a flow writes PII to Connect's flow logs: a walk over every path of a flow that tells,
for each block, whether flow logging can be on when it runs.

Connect's flow log for a block holds its parameters and results: the attributes it sets, the
text it plays, the customer input it stores, a Lambda's parameters and answer. Those logs go to
the instance's log group (`/aws/connect/<instance alias>`), whose retention and encryption this
stack does not govern, so our flows turn logging off (UpdateFlowLoggingBehavior Disabled) around
every block that touches PII and on again before what the saved queries read (menus, dips,
transfers, the end of the call). UpdateFlowLoggingBehavior holds for the rest of the contact
segment and carries into the next flow, so a flow is entered with logging as the previous one
left it; `problems` requires every transfer to leave it on, and so may assume every flow starts
with logging on.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# What is PII in our flows: a bare name is a contact attribute, a Lambda parameter or a field of
# a Lambda's answer ($.Attributes.<name>, $.External.<name>); a JSONPath is a system value.
PII = (
    "order_id", "order_id_ssml", "order_id_spoken", "customer_id", "first_name",
    "$.StoredCustomerInput", "$.CustomerEndpoint.Address",
)

# What the saved flow-log queries read (infra/monitoring/queries.py): menu choices, dip results,
# and the last block of a contact (where callers leave). These must run with logging on.
LOGGED_TYPES = frozenset({
    "GetParticipantInput", "InvokeLambdaFunction", "TransferToFlow", "TransferContactToQueue",
    "DequeueContactAndTransferToQueue", "DisconnectParticipant", "EndFlowExecution",
})

_REFERENCE = re.compile(r"\$\.[A-Za-z]+(?:\.[A-Za-z0-9_]+)*")

Action = Mapping[str, Any]


def problems(flow: Mapping[str, Any], name: str, pii: Iterable[str] = PII) -> list[str]:
    """Each block of `flow` that touches PII while logging may be on, or that the saved queries
    read (LOGGED_TYPES) while logging may be off; [] when there is none."""
    pii = frozenset(pii)
    actions = {str(a["Identifier"]): a for a in flow.get("Actions", [])}
    states = logging_states(flow)
    answers = lambdas_answering_pii(actions, pii)
    found = []
    for identifier, action in actions.items():
        on = states.get(identifier, set())
        reasons = pii_reasons(action, pii) + answers.get(identifier, [])
        if reasons and True in on:
            found.append(f"{name}: '{identifier}' {', '.join(reasons)} with flow logging on")
        elif not reasons and _read_by_queries(action) and False in on:
            found.append(f"{name}: '{identifier}' ({action['Type']}) runs with flow logging off: "
                         "the saved queries need it")
    return found


def logging_states(flow: Mapping[str, Any]) -> dict[str, set[bool]]:
    """For each reachable block, whether flow logging can be on (True) or off (False) when it runs."""
    actions = {str(a["Identifier"]): a for a in flow.get("Actions", [])}
    states: dict[str, set[bool]] = {}
    pending = [(str(flow["StartAction"]), True)]
    while pending:
        identifier, on = pending.pop()
        if identifier not in actions or on in states.setdefault(identifier, set()):
            continue
        states[identifier].add(on)
        action = actions[identifier]
        if action["Type"] == "UpdateFlowLoggingBehavior":
            on = action["Parameters"]["FlowLoggingBehavior"] == "Enabled"
        pending += [(following, on) for following in successors(action)]
    return states


def pii_reasons(action: Action, pii: frozenset[str]) -> list[str]:
    """How one block touches PII by itself: what it reads, sets, passes or stores."""
    parameters = action.get("Parameters") or {}
    reasons = [f"reads {reference}" for reference in sorted(set(_references(parameters))) if _is_pii(reference, pii)]
    if action["Type"] == "UpdateContactAttributes":
        reasons += [f"sets attribute {key}" for key in parameters.get("Attributes", {}) if key in pii]
    if action["Type"] == "InvokeLambdaFunction":
        reasons += [f"passes parameter {key}" for key in parameters.get("LambdaInvocationAttributes") or {} if key in pii]
    if action["Type"] == "GetParticipantInput" and str(parameters.get("StoreInput")).lower() == "true":
        reasons.append("stores customer input")
    return reasons


def lambdas_answering_pii(actions: Mapping[str, Action], pii: frozenset[str]) -> dict[str, list[str]]:
    """The Lambda blocks whose answer carries PII: a block after one (before the next Lambda)
    reads a PII field of $.External. Connect logs a Lambda's answer with the block."""
    found = {}
    for identifier, action in actions.items():
        if action["Type"] != "InvokeLambdaFunction":
            continue
        read = sorted({reference for block in _until_next_lambda(identifier, actions)
                       for reference in _references(block.get("Parameters") or {})
                       if reference.startswith("$.External.") and _is_pii(reference, pii)})
        if read:
            found[identifier] = [f"answers PII (read later as {', '.join(read)})"]
    return found


def successors(action: Action) -> list[str]:
    transitions = action.get("Transitions") or {}
    following = [transitions.get("NextAction")]
    following += [branch.get("NextAction") for branch in transitions.get("Errors", []) + transitions.get("Conditions", [])]
    return [str(identifier) for identifier in following if identifier]


def _read_by_queries(action: Action) -> bool:
    if action["Type"] == "GetParticipantInput":
        return str((action.get("Parameters") or {}).get("StoreInput")).lower() != "true"
    return action["Type"] in LOGGED_TYPES


def _until_next_lambda(start: str, actions: Mapping[str, Action]) -> Iterator[Action]:
    seen: set[str] = set()
    pending = successors(actions[start])
    while pending:
        identifier = pending.pop()
        if identifier in seen or identifier not in actions:
            continue
        seen.add(identifier)
        yield actions[identifier]
        if actions[identifier]["Type"] != "InvokeLambdaFunction":
            pending += successors(actions[identifier])


def _references(value: Any) -> Iterator[str]:
    """Every JSONPath reference ($.Attributes.x, $.External.y, $.StoredCustomerInput, ...) in a value."""
    if isinstance(value, str):
        yield from _REFERENCE.findall(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _is_pii(reference: str, pii: frozenset[str]) -> bool:
    if reference in pii:
        return True
    parts = reference.split(".")
    return len(parts) == 3 and parts[1] in ("Attributes", "External") and parts[2] in pii
