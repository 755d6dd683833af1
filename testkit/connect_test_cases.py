"""Caller journeys as Amazon Connect test cases (issue 15): the translation into Connect's testing language.

Each scenario of tests/journeys/scenarios is called once locally (the simulator), and its call is
written as a test case Connect can run on the instance: the prompts the caller must hear (in
order; the ones they answer with keys), the keys, the hours check made to answer "open", and where
the call ends. The result is JOURNEYS_FILE, which synth deploys as AWS::Connect::TestCase resources
(infra/journey_test_cases.py, which also checks each document against the documented schema).
Regenerate it after changing a journey or a flow (a test fails until you do):

    .venv/bin/python -m testkit.connect_test_cases

A journey that needs something a test on the instance cannot have (the fake backend's data or
faults, messages in the table, a queue's wait, a block forced to fail, the clock outside opening
hours, a check the testing language used here has no observation for) is not translated: the
file gives the reason instead, and synth prints it as a warning. The test on the instance would
otherwise be weaker than the journey and still say PASS.

Resources are written as the flows' `{{placeholders}}` (`{{general_queue_arn}}`), filled at synth;
ALWAYS_OPEN_HOURS is the hours resource synth creates for the open-hours substitution.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from configuration.flows import TEST_CASES_FILE
from configuration.model import IvrConfig
from flow_language.placeholders import placeholder
from ivr.simulator import transcript as t
from ivr.simulator.callers import TIMEOUT_TOKENS, parse_keys
from testkit.journeys import Scenario, load_scenarios, run_scenario

REPO_ROOT = Path(__file__).resolve().parent.parent
JOURNEYS_FILE = REPO_ROOT / "contact_flows" / TEST_CASES_FILE  # the repository's own flows' journeys
VERSION = "2025-06-21"
ALWAYS_OPEN_HOURS = "test_always_open"  # the substitute hours' placeholder subject (infra/journey_test_cases.py creates it)
BACKEND_DIPS = ("order_status", "customer_lookup", "sms_deflection")  # their answers come from the backend's data

# What a journey may set or expect that the instance cannot reproduce, and why.
_NOT_ON_THE_INSTANCE = {
    "backend_fault": "it injects a fault into the local fake backend; on the instance the dips call your backend",
    "messages": "it needs holiday or emergency messages in the table; the instance plays whatever operators put there",
    "queue_wait": "it sets how long callers wait in the queue; the instance's queue is as it is",
    "queue_size": "it sets how many callers are waiting; the instance's queue is as it is",
    "queue_full": "it fills the queue; the instance's queue is as it is",
    "expected_wait": "it sets the queue's expected wait; the instance's queue is as it is",
    "queue_position": "it sets the caller's place in the queue; the instance's queue is as it is",
    "hold_rounds": "it sets when an agent answers; no agent answers a test on the instance",
    "fail_actions": "it forces blocks to fail on Connect's side",
    "hours": "it gives a queue hours of its own for the call",
}
_NOT_OBSERVED = {
    "attributes": "it checks contact attributes, which the testing language used here does not observe",
    "dips": "it checks what a Lambda answered; the testing language observes that it ran, not its answer",
    "heard_once": "it checks how often a phrase is heard; the test only observes that it is",
    "not_heard": "it checks a phrase is never heard; the test only observes what is",
}


def translate(scenario: Scenario, call: t.Transcript, config: IvrConfig, hours_names: Iterable[str]) -> dict[str, Any]:
    """{"flow", "description", "content"} of the test case, or {"not_deployed": why}. The test calls
    without a caller number (see _unexpressible); the journeys' default caller is nobody the backend knows."""
    why = _unexpressible(scenario, call, config)
    if why:
        return {"not_deployed": why}
    pressed = _pressed(scenario, call)
    if pressed is None:
        return {"not_deployed": "its keys run ahead of the prompts (type-ahead), which the test cannot send"}
    observations = [_started(_always_open(sorted(hours_names)))]
    phrases = [str(phrase) for phrase in scenario.expect.get("heard", [])]
    events = call.events
    last_target_queue = max((i for i, e in enumerate(events) if e.kind == t.STEP and e.data.get("type") == "UpdateContactTargetQueue"),
                            default=None)
    for index, event in enumerate(events):
        if event.kind == t.SAY:
            text = event.data["text"]
            keys = pressed.get(index + 1)
            matched = [phrase for phrase in phrases[:1] if phrase.lower() in text.lower()]
            if matched:
                phrases.pop(0)
            if matched or keys is not None:
                observations.append(_heard(matched[0] if matched and keys is None else text, keys or ""))
        elif event.kind == t.STEP and index == last_target_queue and "queue" in scenario.expect:
            queue = str(scenario.expect["queue"])
            observations.append(_flow_action("UpdateContactTargetQueue", {"QueueId": "{{" + placeholder("queue", queue) + "}}"}))
        elif event.kind == t.STEP and event.data.get("type") in ("TransferContactToQueue", "DisconnectParticipant"):
            observations.append(_flow_action(event.data["type"], {}))
    if phrases:
        return {"not_deployed": f"the phrase {phrases[0]!r} is not within one prompt of the local call"}
    observations.append(_observation("TestCompleted", {}, []))
    for number, observation in enumerate(observations):
        observation["Identifier"] = observation["Event"]["Identifier"] = f"o{number + 1}"
    for observation, following in zip(observations, observations[1:], strict=False):
        observation["Transitions"] = {"NextObservations": [following["Identifier"]]}
    return {
        "flow": str(scenario.settings.get("flow", "main")),
        "description": f"{scenario.requirement}: {scenario.title}"[:250],
        "content": {"Version": VERSION, "Metadata": {}, "Observations": observations},
    }


def translate_all(session: Any) -> dict[str, dict[str, Any]]:
    """Every scenario's translation, by scenario id (`session`: the journeys' LocalSession)."""
    config = session.services.config
    hours_names = _app_hours(config)
    return {scenario.id: translate(scenario, run_scenario(session, scenario), config, hours_names) for scenario in load_scenarios()}


def _unexpressible(scenario: Scenario, call: t.Transcript, config: IvrConfig) -> str:
    for key, why in _NOT_ON_THE_INSTANCE.items():
        if key in scenario.settings:
            return why
    for key, why in _NOT_OBSERVED.items():
        if key in scenario.expect:
            return why
    if str(scenario.settings.get("flow", "main")) not in {flow_file.stem for flow_file in _deployed_flows(config)}:
        return "it starts in a flow a deployment in these languages does not have (the language menu needs several)"
    zone = ZoneInfo(config.time_zone)
    at = datetime.fromisoformat(str(scenario.settings.get("at", "2026-11-24T10:00")))
    at = at if at.tzinfo else at.replace(tzinfo=zone)
    local = at.astimezone(zone)
    span = config.flows.opening_hours.get(local.strftime("%A").upper())
    if span is None or not span[0] <= local.strftime("%H:%M") < span[1]:
        return "it calls outside opening hours; a test on the instance runs when it starts, and only an always-open substitute exists"
    for dip in call.dips():
        function = dip.data["function"]
        answer = (dip.data.get("response") or {}).get("result")
        if function in BACKEND_DIPS and not (function == "customer_lookup" and answer == "UNKNOWN"):
            return f"its path depends on {function}'s answer ({answer}) from the fake backend's data, not your backend's"
    if scenario.settings.get("caller"):
        return ("it calls from a given number; AWS::Connect::TestCase's schema refuses every number as SourcePhoneNumber "
                "(its pattern is escaped twice), so a test calls without one")
    if any(e.kind == t.INPUT and e.data.get("hang_up") for e in call.events):
        return "the caller hangs up, which the testing language used here cannot do"
    if "outcome" in scenario.expect and scenario.expect["outcome"] not in ("transferred", "disconnected"):
        return f"it ends as {scenario.expect['outcome']}, which the testing language used here does not observe"
    return ""


def _pressed(scenario: Scenario, call: t.Transcript) -> dict[int, str] | None:
    """{index of each input event: the keys the caller pressed there, with the terminator as scripted
    ("" when the prompt times out)}; None when a scripted answer is not what the prompt took."""
    answers = parse_keys(str(scenario.settings.get("keys", "")))
    pressed: dict[int, str] = {}
    for index, event in enumerate(call.events):
        if event.kind != t.INPUT:
            continue
        answer = answers.pop(0) if answers else "-"
        if event.data.get("timeout"):
            if answer not in TIMEOUT_TOKENS:
                return None
            pressed[index] = ""
        elif event.data.get("keys") and answer.rstrip("#") != event.data["keys"]:
            return None
        else:
            pressed[index] = answer  # an encrypted prompt shows no keys: the scripted answer is what was pressed
    return pressed


def _app_hours(config: IvrConfig) -> list[str]:
    return sorted(set().union(*(f.references("hours") for f in _deployed_flows(config))))


def _deployed_flows(config: IvrConfig) -> list[Any]:
    from configuration.runtime_values import language_settings, passed_by_blocks
    from flow_language.translations import deployment_flow_files

    directory = Path(config.flows.directory)
    return deployment_flow_files(directory if directory.is_absolute() else REPO_ROOT / directory, config.languages,
                                 lambda language: language_settings(config, language), passed_by_blocks(config))


def _observation(event_type: str, properties: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Identifier": "",
        "Event": {"Identifier": "", "Type": event_type, "Actor": "System", "Properties": properties},
        "Usage": {"Type": "EXACTLY"},
        "Actions": _chained(actions),
    }


def _started(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return _observation("TestInitiated", {}, actions)


def _heard(text: str, keys: str) -> dict[str, Any]:
    return _observation("MessageReceived", {"Text": text, "MatchingCriteria": "Inclusion"}, [
        {"Type": "SendInstruction", "Parameters": {"ActionType": "SendInstruction", "Actor": "Customer",
                                                   "Instruction": {"Type": "DtmfInput", "Properties": {"Value": key}}}}
        for key in keys
    ])


def _flow_action(action_type: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return _observation("FlowActionStarted", {"ActionType": action_type, "ActionParameters": parameters}, [])


def _always_open(hours_names: list[str]) -> list[dict[str, Any]]:
    """The flows' hours checks answer "in hours": each hours resource substituted by the always-open one."""
    return [
        {"Type": "OverrideSystemBehavior", "Parameters": {"ActionType": "OverrideSystemBehavior", "Behavior": {
            "Type": "FlowAction", "Properties": {
                "ActionType": "CheckHoursOfOperation",
                "ActionParameters": {"HoursOfOperationId": "{{" + placeholder("hours", name) + "}}"},
                "Strategy": {"Type": "SubstituteResource", "SubstituteArn": "{{" + placeholder("hours", ALWAYS_OPEN_HOURS) + "}}"},
            }}}}
        for name in hours_names
    ]


def _chained(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Identifiers a1, a2, ... and each action's NextAction (the last one's is empty, as the documented example has it)."""
    for number, action in enumerate(actions):
        action["Identifier"] = f"a{number + 1}"
        action["Transitions"] = {"NextAction": f"a{number + 2}" if number + 1 < len(actions) else ""}
    return [{"Identifier": a["Identifier"], "Type": a["Type"], "Parameters": a["Parameters"], "Transitions": a["Transitions"]} for a in actions]


def main() -> int:
    from ivr.simulator.session import LocalSession

    with LocalSession(async_wait_seconds=0) as session:
        translated = translate_all(session)
    JOURNEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
    JOURNEYS_FILE.write_text(json.dumps(translated, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    deployed = sum("content" in case for case in translated.values())
    print(f"{JOURNEYS_FILE.relative_to(REPO_ROOT)}: {deployed} of {len(translated)} journeys as Connect test cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
