"""No unmasked PII in the instance's flow logs (issue 16): in every deployed flow, each block that
touches PII runs with flow logging off on every path that reaches it, and what the saved queries
read runs with it on (testkit/flow_logging.py walks the paths; its PII list is the one place that
says what PII is)."""
from __future__ import annotations

import json

import pytest

from flow_language.translations import LANGUAGE_MENU
from testkit.flow_logging import PII, logging_states, problems
from testkit.template_reading import of_type
from tests.infra.test_flows_infra import FLOWS_DIR, content


@pytest.fixture(scope="module")
def deployed_flows(template_json) -> dict[str, dict]:
    """{flow or module name in Connect: its content as deployed}."""
    resources = {**of_type(template_json, "AWS::Connect::ContactFlow"), **of_type(template_json, "AWS::Connect::ContactFlowModule")}
    return {r["Properties"]["Name"]: content(r)[0] for r in resources.values()}


def test_every_deployed_flow_keeps_pii_out_of_the_flow_logs(deployed_flows):
    files = [p for p in [*FLOWS_DIR.glob("*.json"), *FLOWS_DIR.glob("modules/*.json")] if p.stem != LANGUAGE_MENU]
    assert len(deployed_flows) == len(files)  # with one language, no language menu
    assert [problem for name, flow in sorted(deployed_flows.items()) for problem in problems(flow, name)] == []


def test_the_pii_list_names_only_what_our_flows_handle(deployed_flows):
    text = json.dumps(list(deployed_flows.values()))
    assert [name for name in PII if name not in text] == []


def test_menus_and_the_non_pii_dips_stay_in_the_flow_logs(deployed_flows):
    main = next(flow for name, flow in deployed_flows.items() if name.endswith("-main"))
    states = logging_states(main)
    assert states["main-menu"] == {True} and states["closure-check"] == {True}
    assert states["lookup-caller"] == {False} and states["greeting-by-name"] == {False}


# --- the walk itself, on small flows ----------------------------------------------------------------

def _block(identifier: str, type_: str, parameters: dict | None = None, *following: str, errors: tuple[str, ...] = ()) -> dict:
    transitions: dict = {"NextAction": following[0]} if following else {}
    if errors:
        transitions["Errors"] = [{"NextAction": target, "ErrorType": "NoMatchingError"} for target in errors]
    return {"Identifier": identifier, "Type": type_, "Parameters": parameters or {}, "Transitions": transitions}


def _logging(identifier: str, behavior: str, following: str) -> dict:
    return _block(identifier, "UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": behavior}, following)


def _flow(*actions: dict) -> dict:
    return {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": list(actions)}


END = _block("end", "DisconnectParticipant")
GREET = _block("greet", "MessageParticipant", {"Text": "Hi $.Attributes.first_name."}, "on")


def test_a_pii_block_behind_logging_off_passes():
    flow = _flow(_logging("off", "Disabled", "greet"), GREET, _logging("on", "Enabled", "end"), END)
    assert problems(flow, "f") == []


def test_a_pii_block_with_logging_on_is_found():
    flow = _flow(GREET, _logging("on", "Enabled", "end"), END)
    assert problems(flow, "f") == ["f: 'greet' reads $.Attributes.first_name with flow logging on"]


def test_one_path_that_skips_logging_off_is_enough():
    flow = _flow(_block("ask", "GetParticipantInput", {"Text": "Press 1.", "StoreInput": "False"}, "off", errors=("greet",)),
                 _logging("off", "Disabled", "greet"), GREET, _logging("on", "Enabled", "end"), END)
    assert problems(flow, "f") == ["f: 'greet' reads $.Attributes.first_name with flow logging on"]


def test_setting_passing_storing_and_a_lambda_answer_read_later_are_each_found():
    flow = _flow(
        _block("keys", "GetParticipantInput", {"Text": "Your order number.", "StoreInput": "True"}, "dip"),
        _block("dip", "InvokeLambdaFunction", {"LambdaFunctionARN": "arn", "LambdaInvocationAttributes": {"order_id": "1"}}, "keep"),
        _block("keep", "UpdateContactAttributes", {"Attributes": {"customer_id": "$.External.customer_id"}}, "end"), END)
    assert problems(flow, "f") == [
        "f: 'keys' stores customer input with flow logging on",
        "f: 'dip' passes parameter order_id, answers PII (read later as $.External.customer_id) with flow logging on",
        "f: 'keep' reads $.External.customer_id, sets attribute customer_id with flow logging on",
    ]


def test_what_the_saved_queries_read_must_not_be_left_unlogged():
    flow = _flow(_logging("off", "Disabled", "greet"), GREET, END | {"Identifier": "on"})
    assert problems(flow, "f") == ["f: 'on' (DisconnectParticipant) runs with flow logging off: the saved queries need it"]


def test_the_pii_list_can_be_given():
    flow = _flow(_block("say", "MessageParticipant", {"Text": "Your plan: $.Attributes.plan."}, "end"), END)
    assert problems(flow, "f") == []
    assert problems(flow, "f", pii=("plan",)) == ["f: 'say' reads $.Attributes.plan with flow logging on"]
