"""Small flows written for the simulator's tests, and a `simulate` fixture that calls them.

Flows are dicts built with `act(...)`/`flow(...)` and written to a temporary contact_flows/ folder
(modules under modules/), with `{{placeholders}}` as in our real flows. Lambdas are the tiny
handlers of tests/simulator/lambdas/ (package `tests.simulator.lambdas`).
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ivr.simulator.callers import ScriptedCaller
from ivr.simulator.engine import CallSettings, Simulator
from ivr.simulator.flows import FlowLibrary, LocalResources
from ivr.simulator.lambdas import LocalLambdas

NEW_YORK = ZoneInfo("America/New_York")
WEEKDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=NEW_YORK)  # a Tuesday


def act(identifier: str, type_: str, parameters: dict | None = None, next_action: str | None = None,
        errors: dict[str, str] | None = None, conditions: list[tuple[str, str, str]] | None = None) -> dict:
    transitions: dict = {}
    if next_action:
        transitions["NextAction"] = next_action
    if errors:
        transitions["Errors"] = [{"ErrorType": k, "NextAction": v} for k, v in errors.items()]
    if conditions:
        transitions["Conditions"] = [{"NextAction": target, "Condition": {"Operator": op, "Operands": [value]}}
                                     for op, value, target in conditions]
    return {"Identifier": identifier, "Type": type_, "Parameters": parameters or {}, "Transitions": transitions}


def say(identifier: str, text: str, next_action: str) -> dict:
    return act(identifier, "MessageParticipant", {"Text": text}, next_action, {"NoMatchingError": next_action})


def end(identifier: str = "end") -> dict:
    return act(identifier, "DisconnectParticipant")


def flow(start: str, *actions: dict) -> dict:
    return {"Version": "2019-10-30", "StartAction": start, "Metadata": {}, "Actions": list(actions)}


@pytest.fixture
def flows_dir(tmp_path: Path):
    root = tmp_path / "contact_flows"
    (root / "modules").mkdir(parents=True)

    def write(name: str, document: dict) -> Path:
        path = root / f"{name}.json"
        path.write_text(json.dumps(document, indent=1))
        return path

    write.root = root
    return write


@pytest.fixture
def simulate(flows_dir):
    """simulate(flow_name, keys="", **CallSettings fields) -> Transcript, with the test Lambdas."""
    functions = LocalLambdas("tests.simulator.lambdas")

    def run(name: str, keys: str | None = "", **settings):
        library = FlowLibrary(flows_dir.root, LocalResources(time_limits={"slow": 1, "echo": 3}))
        settings.setdefault("at", WEEKDAY_MORNING)
        with functions:
            return Simulator(library, functions).call(name, CallSettings(**settings), ScriptedCaller(keys))

    return run
