"""Caller journeys: scenario files (YAML) run through the simulator and checked.

A scenario says who calls when, what they press and what the world is like, then what the
caller must hear and how the call must end. One file may hold several under `scenarios:`.

    scenarios:
      - id: zero-at-main-menu
        requirement: CX-1
        title: 0 at the main menu reaches an agent in business hours
        at: 2026-11-24T10:00          # in cdk.json's time_zone unless it has an offset
        keys: "0"                      # as `ivr call --keys`
        say: ["where is my order"]     # as `ivr call --say`: one sentence per Lex bot turn
        data: {bots: {...}, profiles: [...], cases: [...]}   # as `ivr call --data`, inline
        # optional: flow (main), caller, language (the contact's, en-US), backend_fault, queue_wait, queue_size, queue_full,
        #           expected_wait (seconds) and queue_position (1: next), as the Get queue metrics block gives them,
        #           messages (a list of messages in the `ivr messages` YAML form),
        #           fail_actions (["main:to-agent"]: blocks that fail on Connect's side),
        #           hold_rounds (rounds of the customer queue flow before an agent answers; 1),
        #           hours ({billing: {MONDAY: ["08:00", "12:00"]}}: a queue's own hours, or any hours
        #           by the name a flow checks, for this call; days left out are closed)
        expect:
          heard: ["To speak with someone, press 0"]   # each phrase in some prompt, in this order
          heard_once: ["We're closed"]   # each phrase in exactly one prompt
          not_heard: ["Sorry"]
          outcome: transferred         # transferred | disconnected | callback | hung-up | ended
          queue: general
          attributes: {intent: agent}  # each must be set to this value
          dips: {closure_check: OPEN}  # function -> the `result` it answered (ERROR for a failed run)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ivr.simulator import transcript as t
from ivr.simulator.callers import ScriptedCaller
from ivr.simulator.engine import CallSettings
from ivr.simulator.hours import hours_from_config
from ivr.simulator.local_data import BadData, data_from
from ivr.simulator.session import LocalSession

SCENARIOS = Path(__file__).resolve().parent.parent / "tests" / "journeys" / "scenarios"
_SETTINGS = {"flow", "at", "caller", "language", "keys", "say", "data", "backend_fault", "queue_wait", "queue_size", "queue_full",
             "expected_wait", "queue_position", "messages", "fail_actions", "hold_rounds", "hours"}
_EXPECT = {"heard", "heard_once", "not_heard", "outcome", "queue", "attributes", "dips"}


class ScenarioError(ValueError):
    """A scenario file that cannot be run as written."""


@dataclass(frozen=True)
class Scenario:
    id: str
    requirement: str
    title: str
    source: Path
    settings: dict[str, Any]
    expect: dict[str, Any] = field(default_factory=dict)


def load_scenarios(folder: Path = SCENARIOS) -> list[Scenario]:
    scenarios, seen = [], set()
    for path in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in document.get("scenarios", [document]):
            scenario = _scenario(raw, path)
            if scenario.id in seen:
                raise ScenarioError(f"{path.name}: scenario id '{scenario.id}' is used twice")
            seen.add(scenario.id)
            scenarios.append(scenario)
    return scenarios


def _scenario(raw: Any, path: Path) -> Scenario:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("requirement"):
        raise ScenarioError(f"{path.name}: each scenario needs an id and a requirement (CX-n)")
    where = f"{path.name}:{raw['id']}"
    unknown = set(raw) - _SETTINGS - {"id", "requirement", "title", "expect"}
    expect = raw.get("expect") or {}
    unknown |= {f"expect.{key}" for key in set(expect) - _EXPECT}
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}")
    if not expect:
        raise ScenarioError(f"{where}: a scenario must expect something")
    settings = {key: raw[key] for key in _SETTINGS if key in raw}
    if not isinstance(settings.get("say", []), list):
        raise ScenarioError(f"{where}: say is a list of sentences, one per Lex bot turn")
    try:
        data_from(settings.get("data"), where)
    except BadData as error:
        raise ScenarioError(str(error)) from None
    for name, spec in (settings.get("hours") or {}).items():
        if hours_from_config(name, spec, "UTC") is None:
            raise ScenarioError(f"{where}: hours of {name!r} name no day with a period like [\"08:00\", \"12:00\"]")
    return Scenario(str(raw["id"]), str(raw["requirement"]), str(raw.get("title", raw["id"])), path, settings, expect)


def run_scenario(session: LocalSession, scenario: Scenario) -> t.Transcript:
    s = scenario.settings
    zone = ZoneInfo(session.services.config.time_zone)
    at = datetime.fromisoformat(str(s.get("at", "2026-11-24T10:00")))
    settings = CallSettings(
        at=at if at.tzinfo else at.replace(tzinfo=zone),
        caller=s.get("caller", "+15555550123") or None,
        language=str(s.get("language", "en-US")),
        queue_wait_seconds=int(s.get("queue_wait", 0)),
        queue_size=int(s.get("queue_size", 0)),
        queue_full=bool(s.get("queue_full", False)),
        expected_wait_seconds=int(s["expected_wait"]) if "expected_wait" in s else None,
        queue_position=int(s["queue_position"]) if "queue_position" in s else None,
        fail_actions=frozenset(s.get("fail_actions", ())),
        hold_rounds=int(s.get("hold_rounds", 1)),
        hours={name: hours for name, spec in (s.get("hours") or {}).items()
               if (hours := hours_from_config(name, spec, zone.key)) is not None},  # _scenario refused empty ones
    )
    return session.call(s.get("flow", "main"), settings, ScriptedCaller(str(s.get("keys", "")), said=list(s.get("say", []))),
                        fault=s.get("backend_fault"), messages=s.get("messages"),
                        data=data_from(s["data"], f"{scenario.source.name}:{scenario.id}") if "data" in s else None)


def check(scenario: Scenario, transcript: t.Transcript) -> list[str]:
    """What the call did that the scenario did not expect; empty when it passed."""
    expect, problems = scenario.expect, []
    heard = transcript.heard()
    said, position = " | ".join(heard).lower(), 0
    for phrase in expect.get("heard", []):
        found = said.find(phrase.lower(), position)
        if found < 0:
            problems.append(f"never heard (in order) {phrase!r}")
        else:
            position = found + len(phrase)
    for phrase in expect.get("heard_once", []):
        times = sum(phrase.lower() in line.lower() for line in heard)
        if times != 1:
            problems.append(f"heard {phrase!r} {times} times, expected once")
    for phrase in expect.get("not_heard", []):
        if any(phrase.lower() in line.lower() for line in heard):
            problems.append(f"heard {phrase!r}, which it should not")
    outcome = transcript.outcome
    if outcome is None:  # the simulator always ends a call with one; say so rather than fail oddly
        return [*problems, "the call ended without an outcome"]
    if "outcome" in expect and outcome.kind != expect["outcome"]:
        problems.append(f"outcome {outcome.kind} ({outcome.description}), expected {expect['outcome']}")
    if "queue" in expect and outcome.queue != expect["queue"]:
        problems.append(f"queue {outcome.queue!r}, expected {expect['queue']!r}")
    for key, value in (expect.get("attributes") or {}).items():
        if outcome.attributes.get(key) != str(value):
            problems.append(f"attribute {key}={outcome.attributes.get(key)!r}, expected {str(value)!r}")
    ran = {f"{flow}:{action}" for flow, action in transcript.visited()}
    for forced in scenario.settings.get("fail_actions", ()):
        if forced not in ran:
            problems.append(f"fail_actions names {forced!r}, which the call never reached")
    answers: dict[str, list[str]] = {}
    for dip in transcript.dips():
        answers.setdefault(dip.data["function"], []).append(
            (dip.data.get("response") or {}).get("result", "ERROR") if dip.data["outcome"] == "ok" else "ERROR")
    for function, result in (expect.get("dips") or {}).items():
        if str(result) not in answers.get(function, []):
            problems.append(f"{function} answered {answers.get(function, 'nothing (not called)')}, expected {result}")
    return problems
