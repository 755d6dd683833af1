"""A flow deployed without some of its blocks.

Each block left out is passed by: whatever led to it leads where its default branch (NextAction)
goes, and the blocks only it led to are left out with it. A deployment does this to a branch its
configuration cannot support, rather than ship a block Connect would refuse or a caller could reach
half-configured: the verification module's PIN prompt needs a certificate to encrypt with
(configuration/runtime_values.py says which blocks, and when).
"""
from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any

from flow_language.model import Flow


class PruningError(ValueError):
    """The flow cannot be deployed without the blocks asked: one line for the user."""


def without_blocks(document: Mapping[str, Any], passed_by: Collection[str]) -> dict[str, Any]:
    """A copy of `document` with each block of `passed_by` passed by and what only it reached left
    out (their designer metadata too); the document itself is not changed."""
    flow = Flow.from_document(document)
    onward = {identifier: _onward(flow, identifier, passed_by) for identifier in passed_by}
    pruned: dict[str, Any] = copy.deepcopy(dict(document))
    if pruned.get("StartAction") in onward:
        pruned["StartAction"] = onward[pruned["StartAction"]]
    for action in pruned.get("Actions", []):
        transitions = action.get("Transitions") if isinstance(action, dict) else None
        if not isinstance(transitions, dict):
            continue
        for branch in [transitions, *transitions.get("Errors", []), *transitions.get("Conditions", [])]:
            if isinstance(branch, dict) and branch.get("NextAction") in onward:
                branch["NextAction"] = onward[branch["NextAction"]]
    left_out = flow.reachable - Flow.from_document(pruned).reachable
    pruned["Actions"] = [action for action in pruned.get("Actions", [])
                         if not (isinstance(action, dict) and action.get("Identifier") in left_out)]
    layout = pruned.get("Metadata", {}).get("ActionMetadata") if isinstance(pruned.get("Metadata"), dict) else None
    if isinstance(layout, dict):
        for identifier in left_out:
            layout.pop(identifier, None)
    return pruned


def _onward(flow: Flow, identifier: str, passed_by: Collection[str]) -> str:
    """Where a branch to `identifier` goes once it is passed by: its NextAction, past any block that
    is passed by too."""
    seen = [identifier]
    while True:
        action = flow.by_id.get(seen[-1])
        if action is None:
            raise PruningError(f"is deployed without its block {seen[-1]!r}, but has no action of that Identifier")
        if action.next_action is None or action.next_action not in flow.by_id:
            raise PruningError(f"is deployed without its block {seen[-1]!r}, which has no NextAction to lead on to")
        if action.next_action not in passed_by:
            return action.next_action
        if action.next_action in seen:
            raise PruningError(f"is deployed without the blocks {seen!r}, whose NextActions lead round in a circle")
        seen.append(action.next_action)
