"""The caller journeys in Connect's testing language (issue 15): every scenario is translated, or says why not,
and the committed file synth deploys is that translation."""
from __future__ import annotations

import json

import pytest

from infra.testing_language import check
from testkit.connect_test_cases import JOURNEYS_FILE, _app_hours, translate
from testkit.journeys import Scenario, load_scenarios

SCENARIOS = load_scenarios()
COMMITTED = json.loads(JOURNEYS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def translated(journey_session, journey_calls) -> dict:
    config = journey_session.services.config
    return {s.id: translate(s, journey_calls(s), config, _app_hours(config)) for s in SCENARIOS}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_journey_is_translated_as_committed_or_says_why_not(translated, scenario):
    assert COMMITTED.get(scenario.id) == translated[scenario.id], \
        "contact_flows/test_cases/journeys.json is stale: run `.venv/bin/python -m testkit.connect_test_cases`"
    case = translated[scenario.id]
    if "not_deployed" in case:
        assert case["not_deployed"].startswith(("it ", "its ", "the ")) and len(case["not_deployed"]) > 20
    else:
        assert check(case["content"]) == []


def test_the_file_holds_no_journey_that_is_gone():
    assert set(COMMITTED) == {s.id for s in SCENARIOS}
    assert sum("content" in case for case in COMMITTED.values()) >= 3  # not vacuous


def test_a_wrong_key_then_billing_presses_each_key_at_its_prompt_and_is_queued_for_billing():
    case = COMMITTED["wrong-key-then-right-key"]
    assert case["flow"] == "main"
    observations = case["content"]["Observations"]
    events = [(o["Event"]["Type"], o["Event"]["Properties"].get("Text") or o["Event"]["Properties"].get("ActionType")) for o in observations]
    keys = [[a["Parameters"]["Instruction"]["Properties"]["Value"] for a in o["Actions"] if a["Type"] == "SendInstruction"]
            for o in observations]
    assert events[0] == ("TestInitiated", None) and events[-1] == ("TestCompleted", None)
    assert [k for k in keys if k] == [["7"], ["2"]]
    assert ("MessageReceived", "Sorry, that is not one of the choices") in events
    queue = next(o for o in observations if o["Event"]["Properties"].get("ActionType") == "UpdateContactTargetQueue")
    assert queue["Event"]["Properties"]["ActionParameters"] == {"QueueId": "{{billing_queue_arn}}"}
    # The hours check finds the center open, whenever the test runs.
    [override] = observations[0]["Actions"]
    assert override["Parameters"]["Behavior"]["Properties"]["Strategy"]["SubstituteArn"] == "{{test_always_open_hours_arn}}"
    assert [o["Transitions"]["NextObservations"] for o in observations[:-1]] == [[o["Identifier"]] for o in observations[1:]]


def test_an_order_number_is_pressed_key_by_key():
    [entry] = [o for o in COMMITTED["star-in-order-number"]["content"]["Observations"] if len(o["Actions"]) > 1]
    assert "".join(a["Parameters"]["Instruction"]["Properties"]["Value"] for a in entry["Actions"]) == "1234*678#"
    assert [a["Transitions"]["NextAction"] for a in entry["Actions"]][-2:] == [entry["Actions"][-1]["Identifier"], ""]


@pytest.mark.parametrize("journey, reason", [
    ("backend-timeout-in-hours", "fake backend"),
    ("zero-at-main-menu", "contact attributes"),
    ("after-hours-no-choice", "outside opening hours"),
    ("order-number-prompt", "order_status's answer"),
    ("emergency-closure", "messages in the table"),
])
def test_what_a_test_on_the_instance_cannot_do_is_said_not_deployed(journey, reason):
    assert reason in COMMITTED[journey]["not_deployed"]


def test_a_phrase_the_call_never_said_is_not_translated(journey_session, journey_calls):
    base = next(s for s in SCENARIOS if s.id == "withheld-number")
    never = Scenario("never", "CX-2", "never", base.source, base.settings, {"heard": ["a phrase nobody says"]})
    config = journey_session.services.config
    assert "a phrase nobody says" in translate(never, journey_calls(base), config, _app_hours(config))["not_deployed"]


def test_the_testing_language_check_names_what_is_wrong():
    good = COMMITTED["withheld-number"]["content"]
    assert check(good) == []
    assert check({**good, "Version": "2019-10-30"}) == ["Version must be '2025-06-21', got '2019-10-30'"]
    dangling = json.loads(json.dumps(good))
    dangling["Observations"][0]["Transitions"]["NextObservations"] = ["nowhere"]
    assert any("NextObservations" in p for p in check(dangling))
    odd = json.loads(json.dumps(good))
    odd["Observations"][1]["Event"]["Type"] = "PromptPlayed"
    assert any("Event.Type must be one of" in p for p in check(odd))
