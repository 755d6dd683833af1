"""No flow file, however odd, makes the simulator raise: a property test mutates flows shaped as
console exports (keys dropped, values of the wrong JSON type, cycles, unknown types, identifiers
that are not strings) and runs each through `Simulator.call`, the entry point `ivr call` uses.
The call must end with an outcome, or with FlowUnreadable (`ivr call` prints it as one line).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivr.simulator import transcript as t
from ivr.simulator.callers import ScriptedCaller
from ivr.simulator.engine import CallSettings, Simulator
from ivr.simulator.flows import FlowLibrary, FlowUnreadable, LocalResources
from ivr.simulator.lambdas import LocalLambdas
from ivr.simulator.local_data import data_from
from tests.simulator.conftest import WEEKDAY_MORNING
from tests.simulator.test_reference_actions import BOTS, EXPORTS, PEOPLE

SEEDS = [json.loads(path.read_text()) for path in sorted(EXPORTS.glob("*.json"))]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", "True", "Timeout", "$.Attributes.x", "x", "0"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["Text", "Type", "x"]), inner, max_size=3),
    max_leaves=6,
)


MAX_DEPTH = 12  # deeper than any flow's structure; nested empty lists drawn by json_values can go deeper


def paths(document: Any) -> list[tuple]:
    """Every place in the document a mutation can hit, down to MAX_DEPTH (no recursion: a drawn
    value may nest deeply)."""
    found: list[tuple] = []
    pending: list[tuple[tuple, Any]] = [((), document)]
    while pending:
        prefix, value = pending.pop()
        found.append(prefix)
        if len(prefix) >= MAX_DEPTH:
            continue
        if isinstance(value, dict):
            pending += [(prefix + (key,), item) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [(prefix + (index,), item) for index, item in enumerate(value)]
    return sorted(found, key=repr)  # a stable order for hypothesis to draw from


@st.composite
def mutated_flows(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in paths(document) if p]
        if not places:
            break
        where = draw(st.sampled_from(places))
        parent: Any = document
        for step in where[:-1]:
            parent = parent[step]
        kind = draw(st.sampled_from(["replace", "delete", "cycle", "type"]))
        if kind == "delete":
            del parent[where[-1]]
        elif kind == "cycle" and isinstance(document.get("Actions"), list) and document["Actions"]:
            first = document["Actions"][0]
            if isinstance(first, dict):
                parent[where[-1]] = copy.deepcopy(first.get("Identifier"))  # a drawn list Identifier must not nest in itself
        elif kind == "type" and isinstance(parent, dict):
            parent["Type"] = draw(st.sampled_from(["Start", "MessageParticipants", None, 3, "ShowView", "Loop"]))
        else:
            parent[where[-1]] = copy.deepcopy(draw(json_values))  # never an object placed twice
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=mutated_flows(), keys=st.sampled_from(["", "1 1 1", "hangup", "12#"]))
def test_no_exception_escapes_the_simulator(tmp_path_factory, document, keys):
    root: Path = tmp_path_factory.mktemp("fuzz")
    (root / "flow.json").write_text(json.dumps(document))
    functions = LocalLambdas("tests.simulator.lambdas", stubs={"crmLookup": {"tier": "gold"}})
    simulator = Simulator(FlowLibrary(root, LocalResources()), functions, data=data_from({**BOTS, **PEOPLE}))
    try:
        with functions:
            call = simulator.call("flow", CallSettings(at=WEEKDAY_MORNING, max_steps=60),
                                  ScriptedCaller(keys, said=["track parcel 1", "agent"]))
    except FlowUnreadable as unreadable:
        assert str(unreadable)  # one line for `ivr call` to print
        return
    assert call.outcome is not None
    assert call.outcome.kind in {t.DISCONNECTED, t.TRANSFERRED, t.CALLBACK, t.HUNG_UP, t.ENDED, t.STOPPED, t.RETURNED}
    t.render_text(call, trace=True)
    call.to_json()
