"""Caller journeys through our real flows and Lambdas (CX-1..CX-11), and their path coverage."""
from __future__ import annotations

import pytest

from ivr.simulator.transcript import render_text
from testkit.journey_coverage import actions_in, reached, report
from testkit.journeys import check, load_scenarios

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.requirement}-{s.id}")
def test_journey(journey_calls, scenario):
    transcript = journey_calls(scenario)
    problems = check(scenario, transcript)
    assert not problems, f"{scenario.title} ({scenario.requirement}):\n  " + "\n  ".join(problems) + \
        "\n\n" + render_text(transcript)


def test_every_requirement_cx1_to_cx11_has_a_journey():
    covered = {s.requirement for s in SCENARIOS}
    assert {f"CX-{n}" for n in range(1, 12)} <= covered


def test_the_journeys_reach_every_action_of_our_flows(journey_session, journey_calls):
    transcripts = [journey_calls(s) for s in SCENARIOS]
    missing = actions_in(journey_session.library) - reached(transcripts)
    assert not missing, report(journey_session.library, transcripts)


def test_a_call_never_sees_the_last_calls_messages_or_fault(journey_session):
    from testkit.journeys import Scenario, run_scenario

    storm = Scenario("storm", "CX-8", "storm", SCENARIOS[0].source, {
        "keys": "2", "backend_fault": "error_500",
        "messages": [{"id": "storm", "scope": "center", "kind": "EMERGENCY", "effect": "CLOSE",
                      "text": {"en-US": "We are closed because of a storm."}}]}, {})
    plain = Scenario("plain", "CX-8", "plain", SCENARIOS[0].source, {"keys": "2", "caller": "+14155550123"}, {})
    assert "We are closed because of a storm." in run_scenario(journey_session, storm).heard()
    after = run_scenario(journey_session, plain)
    assert "We are closed because of a storm." not in after.heard()
    assert {d.data["function"]: d.data["response"]["result"] for d in after.dips()}["customer_lookup"] == "FOUND"


def test_a_call_gives_the_process_its_modules_and_environment_back(journey_session):
    import os
    import sys

    import lambdas.order_status.handler as before
    from testkit.journeys import run_scenario

    environment = dict(os.environ)
    scenario = next(s for s in SCENARIOS if s.id == "order-found")
    assert run_scenario(journey_session, scenario).dips()  # the call ran our Lambdas, cold
    assert sys.modules["lambdas.order_status.handler"] is before
    assert dict(os.environ) == environment
