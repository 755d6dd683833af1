"""Turning flow files into deployable content: placeholders, designer positions, order, validation.

These run without synthesizing the app; tests/infra/test_flows_infra.py reads the template.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from configuration.model import load_config
from configuration.runtime_values import flow_settings, passed_by_blocks
from flow_language import PLACEHOLDER_PATTERN, validate_flow
from flow_language.files import FlowFile, FlowFileError, deployment_order, load_flow_files
from flow_language.layout import with_positions
from flow_language.placeholders import SUFFIXES, fill
from flow_language.translations import deployed_flow_files, load_translations
from infra.contact_flows import check, render
from infra.errors import StopSynth
from tests.conftest import REPO_ROOT

FLOWS_DIR = REPO_ROOT / "contact_flows"
# What the deploy mapping fills (infra.contact_flows.ContactFlows): name patterns of the contract.
FILLED_SUFFIXES = tuple(SUFFIXES.values())
FILLED_SETTINGS = {"website", "opening_hours_text", "default_language", "long_wait_seconds", "long_queue_contacts",
                   "wait_offer_every_rounds", "verify_billing", "verification_certificate", "verification_security_key_id",
                   "language", "voice", "voice_engine"}


@pytest.fixture(scope="module")
def config(cdk_context):
    return load_config(cdk_context)


@pytest.fixture(scope="module")
def our_flows() -> list[FlowFile]:
    """The flows a deployment in English and Spanish has: the files, and each one's Spanish variant."""
    languages = ("en-US", "es-US")
    return deployed_flow_files(load_flow_files(FLOWS_DIR), languages, load_translations(FLOWS_DIR, languages[1:]),
                               lambda language: {"language": language})


PIN_BLOCKS = {"pin-offered", "enter-pin", "pin-entered", "check-pin", "pin-result"}


def test_without_a_certificate_the_module_is_deployed_without_its_pin_blocks_in_every_language(config):
    assert config.verification.pin_certificate == ""  # cdk.json's default
    languages = ("en-US", "es-US")
    files = deployed_flow_files(load_flow_files(FLOWS_DIR), languages, load_translations(FLOWS_DIR, languages[1:]),
                                lambda language: {"language": language}, passed_by_blocks(config))
    modules = [f for f in files if f.stem.startswith("verify_caller")]
    assert [f.stem for f in modules] == ["verify_caller", "verify_caller_es_us"]
    for module in modules:
        kept = {action["Identifier"] for action in module.document["Actions"]}
        assert not kept & PIN_BLOCKS and "InputEncryption" not in json.dumps(module.document)
        assert {"send-code", "enter-code", "check-code", "resend-code", "outcome", "done"} <= kept  # the code path whole
        sent = next(a for a in module.document["Actions"] if a["Identifier"] == "sent-result")
        assert "outcome" in json.dumps(sent["Transitions"])  # no mobile on file: straight to the outcome
        rendered = render(module.document, {**flow_settings(config), "language": module.language or "en-US"})
        assert [str(p) for p in validate_flow(rendered, name=module.stem, placeholders_allowed=True, module=True,
                                              strict=True)] == []


def test_the_module_as_written_cannot_be_deployed_without_a_certificate(config):
    """Why the PIN blocks are left out: rendered with no certificate, the prompt would encrypt with nothing."""
    written = next(f for f in load_flow_files(FLOWS_DIR) if f.stem == "verify_caller")
    problems = validate_flow(render(written.document, flow_settings(config)), name="verify_caller.json",
                             placeholders_allowed=True, module=True)
    assert [(p.action_id, p.rule) for p in problems if "InputEncryption" in p.message] == [("enter-pin", "input-validation")]


def test_with_a_certificate_the_module_is_deployed_whole(cdk_context):
    from ivr.simulator.encrypted_input import local_key_pair

    config = load_config({**cdk_context, "verification": {"pin_certificate": local_key_pair().certificate_pem}})
    assert passed_by_blocks(config) == {}


def minimal_flow(text: str = "Hello {{website}}") -> dict:
    return {
        "Version": "2019-10-30", "StartAction": "hello",
        "Actions": [
            {"Identifier": "hello", "Type": "MessageParticipant", "Parameters": {"Text": text},
             "Transitions": {"NextAction": "end", "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "end"}]}},
            {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }


def test_our_flows_pass_the_validator_strictly_with_each_dips_budget(our_flows, config):
    budgets = {f"{name}_lambda_arn": dip.budget_ms / 1000 for name, dip in config.dips.items()}
    problems = [str(p) for f in our_flows
                for p in validate_flow(f.document, name=f.path.name, placeholders_allowed=True,
                                       dip_budgets_seconds=budgets, strict=True)]
    assert problems == []
    assert {f.stem for f in our_flows} >= {"main", "order_status", "after_hours", "customer_queue", "agent_transfer"}


def test_every_placeholder_in_our_flows_is_one_the_deploy_fills(our_flows):
    names = set().union(*(f.placeholders for f in our_flows))
    unknown = {n for n in names if not n.endswith(FILLED_SUFFIXES) and n not in FILLED_SETTINGS}
    assert unknown == set()
    flow_stems = {f.stem for f in our_flows}
    assert {n[: -len("_flow_arn")] for n in names if n.endswith("_flow_arn")} <= flow_stems


def test_each_dip_the_flows_invoke_has_a_time_limit_above_its_budget(our_flows, config):
    invoked = set()
    for flow in our_flows:
        for action in flow.document["Actions"]:
            if action["Type"] == "InvokeLambdaFunction":
                folder = PLACEHOLDER_PATTERN.fullmatch(action["Parameters"]["LambdaFunctionARN"]).group(1)[: -len("_lambda_arn")]
                assert action["Parameters"]["InvocationTimeLimitSeconds"] == f"{{{{{folder}_time_limit}}}}"
                assert config.dips[folder].invocation_time_limit_seconds > config.dips[folder].budget_ms / 1000
                invoked.add(folder)
    assert {"order_status", "customer_lookup"} <= invoked  # the loop checked the dips the flows use


def test_a_value_with_quotes_and_backslashes_cannot_break_the_flow_json():
    value = 'Mon–Fri "8 to 8" \\ weekends {closed}'
    content = json.dumps(render(minimal_flow("We are open {{website}}."), {"website": value}))
    parsed = json.loads(content)
    assert parsed["Actions"][0]["Parameters"]["Text"] == f"We are open {value}."
    assert validate_flow(content, name="quoted", placeholders_allowed=False, strict=True) == []


def test_unfilled_placeholders_are_left_for_the_validator_to_report():
    rendered = fill(minimal_flow("Hi {{nobody_knows_this}}"), {})
    problems = validate_flow(rendered, name="flow.json", placeholders_allowed=False)
    assert any("{{nobody_knows_this}}" in str(p) and "not filled" in str(p) for p in problems)


def test_positions_are_generated_for_every_action_without_changing_the_source(our_flows):
    main = next(f for f in our_flows if f.stem == "main")
    before = json.dumps(main.document)
    positioned = with_positions(main.document)
    assert json.dumps(main.document) == before  # the file's document is not modified
    metadata = positioned["Metadata"]["ActionMetadata"]
    spots = [(metadata[a["Identifier"]]["position"]["x"], metadata[a["Identifier"]]["position"]["y"])
             for a in main.document["Actions"]]
    assert len(set(spots)) == len(spots)  # no two blocks on the same spot
    start = metadata[main.document["StartAction"]]["position"]
    assert start["x"] == min(x for x, _ in spots)  # the start block is in the first column


def test_positions_already_in_a_file_are_kept():
    flow = minimal_flow()
    flow["Metadata"] = {"ActionMetadata": {"hello": {"position": {"x": 7, "y": 9}}}}
    positioned = with_positions(flow)["Metadata"]["ActionMetadata"]
    assert positioned["hello"]["position"] == {"x": 7, "y": 9}
    assert "position" in positioned["end"]


def test_flows_are_deployed_after_the_flows_they_transfer_to(our_flows):
    order = [f.stem for f in deployment_order(our_flows)]
    assert sorted(order) == sorted(f.stem for f in our_flows)
    transfers = [(flow.stem, target) for flow in our_flows for target in flow.references("flow")]
    assert transfers  # our flows do transfer to each other, so the order matters
    for source, target in transfers:
        assert order.index(target) < order.index(source), (source, target)


def test_flows_transferring_to_each_other_in_a_cycle_stop_synth():
    a = FlowFile("a", Path("a.json"), minimal_flow("{{b_flow_arn}}"), False)
    b = FlowFile("b", Path("b.json"), minimal_flow("{{a_flow_arn}}"), False)
    with pytest.raises(FlowFileError, match="cycle"):
        deployment_order([a, b])


def test_an_invalid_flow_stops_synth_with_the_validators_lines():
    broken = minimal_flow()
    broken["Actions"][0]["Transitions"]["NextAction"] = "nowhere"
    with pytest.raises(StopSynth) as stopped:
        check(broken, name="contact_flows/broken.json", placeholders_allowed=True, budgets={})
    assert "contact_flows/broken.json:hello: error:" in str(stopped.value)
    assert '"nowhere"' in str(stopped.value)


def test_a_flow_file_that_is_not_json_stops_synth_naming_the_file(tmp_path):
    (tmp_path / "main.json").write_text("{not json")
    with pytest.raises(FlowFileError, match="main.json: not a JSON flow file"):
        load_flow_files(tmp_path)
