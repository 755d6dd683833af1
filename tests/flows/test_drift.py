"""`ivr flows drift` (issue 15): the deployed flows against what the repository renders, with the stack
and Connect behind botocore's Stubber (request shapes checked against the installed service models)."""
from __future__ import annotations

import copy
import json

import pytest

from configuration.model import load_config
from configuration.runtime_values import FLOW_RESOURCES_OUTPUT, language_settings, passed_by_blocks
from flow_language.placeholders import SUFFIXES, placeholder
from flow_language.translations import deployment_flow_files
from infra.contact_flows import render as synth_render
from ivr import flows_drift
from ivr.cli import main
from tests.conftest import REPO_ROOT
from tests.stubbed_stack import StubbedStack

CONFIG = load_config(json.loads((REPO_ROOT / "cdk.json").read_text())["context"])
INSTANCE = CONFIG.connect_instance


def deployment_files(config) -> list:
    return deployment_flow_files(REPO_ROOT / "contact_flows", config.languages, lambda language: language_settings(config, language),
                                 passed_by_blocks(config))


# The flows the deployment has (with cdk.json's one language: every file but the language menu).
FILES = deployment_files(CONFIG)


def _arn(kind: str, name: str) -> str:
    if kind == "lambda":
        return f"arn:aws:lambda:{INSTANCE.region}:{INSTANCE.account}:function:ivr-{name}"
    if kind == "module":
        return f"{name}-0000-0000-0000-000000000000"
    segment = {"queue": "queue", "hours": "operating-hours", "flow": "contact-flow"}[kind]
    return f"{INSTANCE.arn}/{segment}/{name}-0000-0000-0000-000000000000"


def resources_of(files: list) -> dict[str, str]:
    """What the stack output holds: every resource placeholder of the flows, and each flow's own."""
    return {
        placeholder(kind, name): _arn(kind, name)
        for flow_file in files for kind in SUFFIXES if kind != "time_limit" for name in flow_file.references(kind)
    } | {placeholder("module" if f.is_module else "flow", f.stem): _arn("module" if f.is_module else "flow", f.stem) for f in files}


RESOURCES = resources_of(FILES)
# A deployment in English and Spanish: each flow and module has its es-US variant, and the language menu.
TWO_LANGUAGES = load_config({**json.loads((REPO_ROOT / "cdk.json").read_text())["context"], "languages": ["en-US", "es-US"]})
TWO_LANGUAGE_FILES = deployment_files(TWO_LANGUAGES)


def deployed(flow_file, config=CONFIG, resources=None) -> dict:
    """What synth put in the template for this flow once CloudFormation resolved its ARNs."""
    return synth_render(flow_file.document, flows_drift.rendering_values(config, resources or RESOURCES))


class Aws(StubbedStack):
    def flows(self, changed: dict | None = None, missing: tuple[str, ...] = (), only: tuple[str, ...] = (),
              config=CONFIG, files: list | None = None) -> None:
        files = files or FILES
        resources = resources_of(files)
        for flow_file in (f for f in files if not only or f.stem in only):
            if flow_file.is_module:
                operation, key, identifier = "describe_contact_flow_module", "ContactFlowModule", "ContactFlowModuleId"
                reference = resources[placeholder("module", flow_file.stem)]
            else:
                operation, key, identifier = "describe_contact_flow", "ContactFlow", "ContactFlowId"
                reference = resources[placeholder("flow", flow_file.stem)].rsplit("/", 1)[-1]
            where = {"InstanceId": INSTANCE.instance_id, identifier: reference}
            if flow_file.stem in missing:
                self.stubs[1].add_client_error(operation, "ResourceNotFoundException", http_status_code=404, expected_params=where)
                continue
            content = (changed or {}).get(flow_file.stem) or deployed(flow_file, config, resources)
            self.stubs[1].add_response(operation, {key: {
                "Id": reference, "Name": f"ivr-dev-{flow_file.stem}", "Content": json.dumps(content)}}, where)


@pytest.fixture
def aws(monkeypatch) -> Aws:
    stubbed = Aws()
    stubbed.serve(monkeypatch)
    return stubbed


def test_modules_are_compared_too():
    assert FILES and any(f.is_module for f in FILES)  # read with DescribeContactFlowModule (stubbed above)


def test_drift_renders_exactly_what_synth_deploys():
    values = flows_drift.rendering_values(CONFIG, RESOURCES)
    for flow_file in FILES:
        assert flows_drift.render(flow_file.document, values) == synth_render(flow_file.document, values), flow_file.stem


def test_every_flow_in_step_exits_0(aws, capsys):
    with aws:
        aws.stack({FLOW_RESOURCES_OUTPUT: json.dumps(RESOURCES), "MessagesTableName": "t"})
        aws.flows()
        assert main(["flows", "drift"]) == 0
    out = capsys.readouterr().out
    assert all(f"{f.stem}: in step" in out for f in FILES) and "are in step with the repository" in out


def test_with_two_languages_every_variant_and_the_language_menu_are_compared(aws, capsys):
    stems = {f.stem for f in TWO_LANGUAGE_FILES}
    assert {"main_es_us", "verify_caller_es_us", "language_menu"} <= stems
    spanish_main = next(f for f in TWO_LANGUAGE_FILES if f.stem == "main_es_us")
    edited = deployed(spanish_main, TWO_LANGUAGES, resources_of(TWO_LANGUAGE_FILES))
    prompt = next(a for a in edited["Actions"] if a["Type"] == "MessageParticipant" and "Text" in a["Parameters"])
    prompt["Parameters"]["Text"] = "Hola, bienvenido."
    with aws:
        aws.stack({FLOW_RESOURCES_OUTPUT: json.dumps(resources_of(TWO_LANGUAGE_FILES))})
        aws.flows(changed={"main_es_us": edited}, config=TWO_LANGUAGES, files=TWO_LANGUAGE_FILES)
        assert main(["flows", "drift", "-c", 'languages=["en-US","es-US"]']) == 1
    out = capsys.readouterr().out
    assert "main_es_us: DRIFTED" in out and '+        "Text": "Hola, bienvenido."' in out
    assert all(f"{stem}: in step" in out for stem in stems - {"main_es_us"})


def test_a_console_edit_is_a_readable_diff_and_exit_1(aws, capsys):
    main_flow = next(f for f in FILES if f.stem == "main")
    edited = deployed(main_flow)
    prompt = next(a for a in edited["Actions"] if a["Type"] == "MessageParticipant" and "Text" in a["Parameters"])
    prompt["Parameters"]["Text"] = "Welcome! Our new menu is here."
    with aws:
        aws.stack({FLOW_RESOURCES_OUTPUT: json.dumps(RESOURCES)})
        aws.flows(changed={"main": edited})
        assert main(["flows", "drift"]) == 1
    out = capsys.readouterr().out
    assert "main: DRIFTED" in out and "--- repository: main" in out and "+++ deployed: main" in out
    assert '+        "Text": "Welcome! Our new menu is here."' in out
    assert "ivr flows import main" in out and "make deploy" in out


def test_moving_blocks_in_the_designer_is_reported_but_not_drift(aws, capsys):
    main_flow = next(f for f in FILES if f.stem == "main")
    moved = copy.deepcopy(deployed(main_flow))
    for position in moved["Metadata"]["ActionMetadata"].values():
        position["position"] = {"x": position["position"]["x"] + 40, "y": position["position"]["y"]}
    with aws:
        aws.stack({FLOW_RESOURCES_OUTPUT: json.dumps(RESOURCES)})
        aws.flows(changed={"main": moved}, only=("main",))
        assert main(["flows", "drift", "main"]) == 0
    assert "main: in step (its designer layout or metadata differs: not compared)" in capsys.readouterr().out


def test_a_flow_deleted_in_connect_is_drift(aws, capsys):
    with aws:
        aws.stack({FLOW_RESOURCES_OUTPUT: json.dumps(RESOURCES)})
        aws.flows(missing=("after_hours",))
        assert main(["flows", "drift"]) == 1
    assert "after_hours: DRIFTED: not in Connect" in capsys.readouterr().out


def test_a_stack_deployed_before_drift_existed_is_a_usage_error(aws, capsys):
    with aws:
        aws.stack({"MessagesTableName": "t"})
        assert main(["flows", "drift"]) == 2
    assert f"has no output {FLOW_RESOURCES_OUTPUT}" in capsys.readouterr().err


def test_an_unknown_flow_or_a_bad_context_value_is_a_usage_error(aws, capsys):
    assert main(["flows", "drift", "nope"]) == 2
    assert "no flow file named nope" in capsys.readouterr().err
    assert main(["flows", "drift", "-c", "time_zone=Mars/Base"]) == 2
    assert "time_zone" in capsys.readouterr().err
    assert main(["flows", "drift", "-c", "environment"]) == 2
    assert "-c 'environment' must be KEY=VALUE, like environment=prod" in capsys.readouterr().err
