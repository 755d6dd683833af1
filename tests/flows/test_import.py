"""`ivr flows import`: console exports and describe output into contact_flows/, every instance ARN
and id a placeholder (the app's own names for what it knows), proven by the round trip.

The fixtures are written here, shaped the way the Connect console and `aws connect
describe-contact-flow(-module)` give flows: a designer export with ActionMetadata display names.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flow_language import check_files, placeholders, read_flow
from ivr.cli import main

REGION, ACCOUNT = "eu-west-2", "444455556666"
INSTANCE = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/0f0e0d0c-1111-4a4a-8b8b-123456789abc"
BILLING_QUEUE = f"{INSTANCE}/queue/7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0001"
ORDERS_QUEUE = f"{INSTANCE}/queue/7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0002"
WEEKDAY_HOURS = f"{INSTANCE}/operating-hours/7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0003"
WELCOME_PROMPT = f"{INSTANCE}/prompt/7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0004"
AFTER_HOURS_FLOW = f"{INSTANCE}/contact-flow/7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0005"
SURVEY_MODULE_ID = "7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0006"
ORDER_STATUS_LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:ConnectIvr-dev-DataDipsOrderStatusFunction5A6-Q1W2E3R4"
VANITY_LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:harbor-vanity-numbers"
ESCALATION_LINE = "+442071838750"
ERROR_BRANCH = [{"NextAction": "goodbye", "ErrorType": "NoMatchingError"}]


def action(identifier: str, kind: str, parameters: dict, next_action: str, **transitions: Any) -> dict:
    return {"Parameters": parameters, "Identifier": identifier, "Type": kind,
            "Transitions": {"NextAction": next_action, "Errors": ERROR_BRANCH, **transitions}}


def console_export(name: str = "Harbor Line Main") -> dict:
    """A designer export: every kind of reference, known to the app and not, with display names."""
    actions = [
        action("welcome", "MessageParticipant", {"PromptId": WELCOME_PROMPT}, "billing"),
        action("billing", "UpdateContactTargetQueue", {"QueueId": BILLING_QUEUE}, "orders"),
        action("orders", "UpdateContactTargetQueue", {"QueueId": ORDERS_QUEUE}, "escalation"),
        action("escalation", "UpdateContactAttributes", {"Attributes": {"escalation_line": ESCALATION_LINE}}, "status"),
        action("status", "InvokeLambdaFunction", {"LambdaFunctionARN": ORDER_STATUS_LAMBDA, "InvocationTimeLimitSeconds": "4",
                                                   "ResponseValidation": {"ResponseType": "STRING_MAP"}}, "vanity"),
        action("vanity", "InvokeLambdaFunction", {"LambdaFunctionARN": VANITY_LAMBDA, "InvocationTimeLimitSeconds": "3",
                                                   "ResponseValidation": {"ResponseType": "STRING_MAP"}}, "survey"),
        action("survey", "InvokeFlowModule", {"FlowModuleId": SURVEY_MODULE_ID}, "open"),
        {"Parameters": {"Hours": WEEKDAY_HOURS}, "Identifier": "open", "Type": "CheckHoursOfOperation",
         "Transitions": {"NextAction": "goodbye", "Errors": ERROR_BRANCH, "Conditions": [
             {"NextAction": "goodbye", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
             {"NextAction": "closed", "Condition": {"Operator": "Equals", "Operands": ["False"]}}]}},
        action("closed", "TransferToFlow", {"ContactFlowId": AFTER_HOURS_FLOW}, "goodbye"),
        action("goodbye", "MessageParticipant", {"Text": "Thank you for calling Harbor Line."}, "end"),
        {"Parameters": {}, "Identifier": "end", "Type": "DisconnectParticipant", "Transitions": {}},
    ]
    positions: dict[str, dict[str, Any]] = {a["Identifier"]: {"position": {"x": 120.5 + 210 * i, "y": 40}}
                                            for i, a in enumerate(actions)}
    positions["welcome"]["audio"] = [{"id": WELCOME_PROMPT, "text": "harbor-welcome.wav", "type": "Prompt"}]
    positions["billing"]["queue"] = {"id": BILLING_QUEUE, "text": "Billing Queue"}
    positions["orders"]["parameters"] = {"QueueId": {"displayName": "ivr-dev-orders"}}
    positions["vanity"]["parameters"] = {"LambdaFunctionARN": {"displayName": "harbor-vanity-numbers"}}
    positions["survey"]["parameters"] = {"FlowModuleId": {"displayName": "Harbor Survey"}}
    positions["open"]["Hours"] = {"id": WEEKDAY_HOURS, "text": "Harbor Weekdays"}
    positions["closed"]["ContactFlow"] = {"id": AFTER_HOURS_FLOW, "text": "ivr-dev-after_hours"}
    return {"Version": "2019-10-30", "StartAction": "welcome",
            "Metadata": {"entryPointPosition": {"x": 20, "y": 20}, "snapToGrid": False, "ActionMetadata": positions,
                         "name": name, "description": "Harbor Line's front door", "type": "contactFlow",
                         "status": "published", "hash": {}},
            "Actions": actions}


def module_content() -> dict:
    """A flow module as the designer saves it: Settings, a return, module Metadata (no flow type)."""
    return {"Version": "2019-10-30", "StartAction": "ask",
            "Metadata": {"entryPointPosition": {"x": 40, "y": 40}, "ActionMetadata": {"ask": {"position": {"x": 200, "y": 40}}},
                         "name": "Harbor Survey", "status": "published", "hash": {}},
            "Settings": {"InputParameters": [], "OutputParameters": [], "Transitions": [
                {"DisplayName": "Success", "ReferenceName": "Success", "Description": ""}]},
            "Actions": [{**action("ask", "MessageParticipant", {"Text": "One quick question before you go."}, "back"),
                         "Transitions": {"NextAction": "back", "Errors": [{"NextAction": "back", "ErrorType": "NoMatchingError"}]}},
                        {"Parameters": {}, "Identifier": "back", "Type": "EndFlowModuleExecution", "Transitions": {}}]}


def describe_flow(content: dict, flow_type: str = "CONTACT_FLOW") -> dict:
    """`aws connect describe-contact-flow` output: Content is the flow as a string, without Metadata.type."""
    content = json.loads(json.dumps(content))
    content["Metadata"].pop("type", None)
    return {"ContactFlow": {"Arn": f"{INSTANCE}/contact-flow/7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0010",
                            "Id": "7c1e2d3f-0a0b-4c4d-9e9f-aaaaaaaa0010", "Name": "Harbor Queue", "Type": flow_type,
                            "State": "ACTIVE", "Status": "PUBLISHED", "Description": "", "Content": json.dumps(content),
                            "Tags": {}}}


def describe_module() -> dict:
    content = module_content()
    settings = content.pop("Settings")
    return {"ContactFlowModule": {"Arn": f"{INSTANCE}/flow-module/{SURVEY_MODULE_ID}", "Id": SURVEY_MODULE_ID,
                                  "Name": "Harbor Survey", "Content": json.dumps(content), "Settings": json.dumps(settings),
                                  "State": "ACTIVE", "Status": "PUBLISHED", "Tags": {}}}


@pytest.fixture
def flows_dir(tmp_path) -> Path:
    """A folder of flows that already has after_hours (routing to the app's orders queue)."""
    folder = tmp_path / "contact_flows"
    folder.mkdir()
    known = console_export("after hours")
    known["Actions"] = [action("orders", "UpdateContactTargetQueue", {"QueueId": "{{orders_queue_arn}}"}, "end"),
                        {"Parameters": {}, "Identifier": "end", "Type": "DisconnectParticipant", "Transitions": {}}]
    known["StartAction"] = "orders"
    known["Metadata"]["ActionMetadata"] = {}
    (folder / "after_hours.json").write_text(json.dumps(known))
    return folder


def write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    if isinstance(document, bytes):
        path.write_bytes(document)
    else:
        path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["flows", "import", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def imported(capsys, flows_dir: Path, export: Path, *options: str) -> tuple[dict, str]:
    code, out, err = run(capsys, "--flows-dir", str(flows_dir), *options, str(export))
    assert (code, err) == (0, ""), err
    target = Path(out.splitlines()[0].split(": wrote ", 1)[1].rsplit(", a ", 1)[0])
    return json.loads(target.read_text()), out


def test_every_instance_arn_and_id_becomes_a_placeholder_the_known_ones_by_the_apps_names(capsys, tmp_path, flows_dir):
    document, out = imported(capsys, flows_dir, write(tmp_path, "export.json", console_export()))
    parameters = {a["Identifier"]: a["Parameters"] for a in document["Actions"]}
    assert parameters["welcome"] == {"PromptId": "{{harbor_welcome_prompt_arn}}"}
    assert parameters["billing"] == {"QueueId": "{{billing_queue_arn}}"}
    assert parameters["orders"] == {"QueueId": "{{orders_queue_arn}}"}  # the queue the app creates as ivr-dev-orders
    assert parameters["status"]["LambdaFunctionARN"] == "{{order_status_lambda_arn}}"  # lambdas/order_status
    assert parameters["vanity"]["LambdaFunctionARN"] == "{{harbor_vanity_numbers_lambda_arn}}"
    assert parameters["survey"] == {"FlowModuleId": "{{harbor_survey_module_id}}"}
    assert parameters["open"] == {"Hours": "{{harbor_weekdays_hours_arn}}"}
    assert parameters["closed"] == {"ContactFlowId": "{{after_hours_flow_arn}}"}  # a flow of the folder
    assert parameters["escalation"] == {"Attributes": {"escalation_line": ESCALATION_LINE}}  # phone numbers stay
    assert ACCOUNT not in json.dumps(document) and REGION not in json.dumps(document)


def test_designer_positions_and_names_are_kept_with_placeholders_in_the_metadata_too(capsys, tmp_path, flows_dir):
    document, _ = imported(capsys, flows_dir, write(tmp_path, "export.json", console_export()))
    metadata = document["Metadata"]
    assert metadata["entryPointPosition"] == {"x": 20, "y": 20}
    assert metadata["ActionMetadata"]["vanity"]["position"] == {"x": 120.5 + 210 * 5, "y": 40}
    assert metadata["ActionMetadata"]["billing"]["queue"] == {"id": "{{billing_queue_arn}}", "text": "Billing Queue"}
    assert metadata["name"] == "Harbor Line Main"


def test_the_output_says_what_was_written_the_placeholders_and_the_keys_to_add(capsys, tmp_path, flows_dir):
    _, out = imported(capsys, flows_dir, write(tmp_path, "export.json", console_export()))
    lines = out.splitlines()
    assert lines[0] == f"{tmp_path / 'export.json'} (a flow file): wrote {flows_dir / 'harbor_line_main.json'}, a flow"
    assert "  {{orders_queue_arn}}" in out and "queue orders: known to the app" in out
    assert f"queue Billing Queue: {BILLING_QUEUE}" in out
    assert "  round trip: filling the placeholders with the original values gives the export's flow back" in lines
    keys = json.loads(out[out.index("{", out.index('add to cdk.json')):])
    assert keys == {
        "resource_arns": {"harbor_welcome_prompt_arn": WELCOME_PROMPT, "harbor_vanity_numbers_lambda_arn": VANITY_LAMBDA,
                          "harbor_survey_module_id": SURVEY_MODULE_ID},
        "queue_arns": {"billing": BILLING_QUEUE},
        "hours_arns": {"harbor_weekdays": WEEKDAY_HOURS},
    }


def test_a_new_name_never_takes_one_the_app_fills(capsys, tmp_path, flows_dir):
    export = console_export()
    export["Metadata"]["ActionMetadata"]["billing"]["queue"]["text"] = "Orders Queue"  # not ivr-dev-orders: another queue
    document, out = imported(capsys, flows_dir, write(tmp_path, "export.json", export))
    assert document["Actions"][1]["Parameters"] == {"QueueId": "{{orders_2_queue_arn}}"}
    assert document["Actions"][2]["Parameters"] == {"QueueId": "{{orders_queue_arn}}"}


def test_the_round_trip_gives_the_export_back(capsys, tmp_path, flows_dir):
    export = console_export()
    document, out = imported(capsys, flows_dir, write(tmp_path, "export.json", export))
    originals = {"harbor_welcome_prompt_arn": WELCOME_PROMPT, "billing_queue_arn": BILLING_QUEUE, "orders_queue_arn": ORDERS_QUEUE,
                 "order_status_lambda_arn": ORDER_STATUS_LAMBDA, "harbor_vanity_numbers_lambda_arn": VANITY_LAMBDA,
                 "harbor_survey_module_id": SURVEY_MODULE_ID, "harbor_weekdays_hours_arn": WEEKDAY_HOURS,
                 "after_hours_flow_arn": AFTER_HOURS_FLOW}
    assert placeholders.fill(document, originals) == export


def test_the_imported_file_passes_the_check_as_a_source_file(capsys, tmp_path, flows_dir):
    _, out = imported(capsys, flows_dir, write(tmp_path, "export.json", console_export()))
    assert "  check: 0 errors" in out
    assert [p for p in check_files([flows_dir / "harbor_line_main.json"]) if p.severity == "error"] == []


def test_a_flow_with_true_problems_is_imported_and_its_errors_said(capsys, tmp_path, flows_dir):
    export = console_export()
    export["Actions"][4]["Parameters"]["InvocationTimeLimitSeconds"] = "30"
    _, out = imported(capsys, flows_dir, write(tmp_path, "export.json", export))
    assert ":status: error: InvocationTimeLimitSeconds must be a whole number of seconds from 1 to 8" in out
    assert "  check: 1 error, " in out and "imported all the same" in out
    assert (flows_dir / "harbor_line_main.json").is_file()


def test_a_describe_contact_flow_output_is_unwrapped_and_keeps_its_type(capsys, tmp_path, flows_dir):
    export = console_export()
    document, out = imported(capsys, flows_dir, write(tmp_path, "queue.json", describe_flow(export, "CUSTOMER_QUEUE")))
    assert out.splitlines()[0].endswith(f"(describe-contact-flow output): wrote {flows_dir / 'harbor_queue.json'}, a flow")
    assert "  added from the wrapper: Metadata.type customerQueue (its Type CUSTOMER_QUEUE)" in out
    assert document["Metadata"]["type"] == "customerQueue"
    assert document["Actions"][1]["Parameters"] == {"QueueId": "{{billing_queue_arn}}"}


def test_a_describe_contact_flow_module_output_goes_to_modules_with_its_settings(capsys, tmp_path, flows_dir):
    document, out = imported(capsys, flows_dir, write(tmp_path, "survey.json", describe_module()))
    assert out.splitlines()[0].endswith(f"(describe-contact-flow-module output): wrote "
                                        f"{flows_dir / 'modules' / 'harbor_survey.json'}, a flow module")
    assert document["Settings"] == module_content()["Settings"]
    assert "  check: 0 errors" in out


def test_flows_imported_together_refer_to_each_other_by_their_new_names(capsys, tmp_path, flows_dir):
    main_flow = write(tmp_path, "main.json", console_export())
    module = write(tmp_path, "survey.json", describe_module())
    code, out, _ = run(capsys, "--flows-dir", str(flows_dir), str(main_flow), str(module))
    assert code == 0
    document = json.loads((flows_dir / "harbor_line_main.json").read_text())
    assert document["Actions"][6]["Parameters"] == {"FlowModuleId": "{{harbor_survey_module_id}}"}
    assert "harbor_survey_module_id" not in out[out.index("add to cdk.json"):]  # the deploy fills it


def test_a_name_content_wrapper_is_unwrapped(capsys, tmp_path, flows_dir):
    wrapper = {"Name": "Harbor Line Main", "Type": "CONTACT_FLOW", "Description": "kept by a pipeline",
               "Content": json.dumps(console_export()), "Tags": {"team": "harbor"}}
    document, out = imported(capsys, flows_dir, write(tmp_path, "wrapped.json", wrapper), "--name", "front_door")
    assert "({Name, Type, Content} wrapper): wrote" in out and (flows_dir / "front_door.json").is_file()
    assert document["Actions"][1]["Parameters"] == {"QueueId": "{{billing_queue_arn}}"}


@pytest.mark.parametrize("content, message", [
    ({"modules": [{"id": "a1", "type": "PlayPrompt", "branches": [{"condition": "Success", "transition": "a2"}],
                   "parameters": [], "metadata": {"position": {"x": 1, "y": 2}}}],
      "version": "1", "type": "contactFlow", "start": "a1", "metadata": {"name": "old menu"}},
     "the file is in the legacy flow format (a top-level 'modules' list, exported before 2019), which Connect no longer "
     "imports: open the flow in an instance that has it and export it again"),
    ({"name": "harbor-tools", "version": "1.0.0", "scripts": {}},
     "the file is not a contact flow: a JSON object without Version, StartAction or Actions (its keys: name, scripts, "
     "version)"),
    (b"\xff\xfe{\x00", "not UTF-8 text (byte 0)"),
    ({"ContactFlow": {"Name": "Broken", "Type": "CONTACT_FLOW", "Content": '{"Version": "2019-10-30",'}},
     "the Content of this describe-contact-flow output is not valid JSON"),
])
def test_what_is_no_flow_is_one_line_nothing_written_exit_2(capsys, tmp_path, flows_dir, content, message):
    source = write(tmp_path, "odd.json", content)
    code, out, err = run(capsys, "--flows-dir", str(flows_dir), str(source))
    assert (code, out) == (2, "")
    assert err.startswith(f"ivr flows: error: {source}: {message}") and err.count("\n") == 1
    assert sorted(p.name for p in flows_dir.rglob("*.json")) == ["after_hours.json"]


def test_an_existing_target_is_refused_without_force(capsys, tmp_path, flows_dir):
    source = write(tmp_path, "export.json", console_export("after hours"))
    before = (flows_dir / "after_hours.json").read_text()
    code, out, err = run(capsys, "--flows-dir", str(flows_dir), str(source))
    assert (code, out) == (2, "")
    assert err == (f"ivr flows: error: {flows_dir / 'after_hours.json'} exists: give another --name, or --force to "
                   "overwrite it; nothing was written\n")
    assert (flows_dir / "after_hours.json").read_text() == before
    assert run(capsys, "--flows-dir", str(flows_dir), "--force", str(source))[0] == 0
    assert (flows_dir / "after_hours.json").read_text() != before


def test_one_bad_file_writes_none(capsys, tmp_path, flows_dir):
    good = write(tmp_path, "export.json", console_export())
    bad = write(tmp_path, "bad.json", {"modules": []})
    assert run(capsys, "--flows-dir", str(flows_dir), str(good), str(bad))[0] == 2
    assert not (flows_dir / "harbor_line_main.json").exists()


def test_dry_run_writes_nothing(capsys, tmp_path, flows_dir):
    code, out, _ = run(capsys, "--flows-dir", str(flows_dir), "--dry-run", str(write(tmp_path, "e.json", console_export())))
    assert code == 0 and "would write" in out and not (flows_dir / "harbor_line_main.json").exists()


def test_name_takes_one_file(capsys, tmp_path, flows_dir):
    a, b = write(tmp_path, "a.json", console_export("a")), write(tmp_path, "b.json", console_export("b"))
    code, _, err = run(capsys, "--flows-dir", str(flows_dir), "--name", "x", str(a), str(b))
    assert (code, err) == (2, "ivr flows: error: --name names one imported flow: give one FILE with it\n")


def test_a_flow_holding_a_placeholder_of_its_own_that_would_not_round_trip_is_refused(capsys, tmp_path, flows_dir):
    export = console_export()
    export["Actions"][9]["Parameters"]["Text"] = "Call us about {{billing_queue_arn}}."  # the name the import makes
    code, out, err = run(capsys, "--flows-dir", str(flows_dir), str(write(tmp_path, "e.json", export)))
    assert (code, out) == (2, "")
    assert "the round trip failed" in err and not (flows_dir / "harbor_line_main.json").exists()


@pytest.mark.parametrize("function, ours", [
    ("ConnectIvr-prod-DataDipsCustomerLookupFunction14762-AbCdEf", "customer_lookup"),
    ("ivr-dev-closure_check", "closure_check"),
    ("sms_deflection", "sms_deflection"),
    ("OrderStatusChecker", None),  # someone else's function, however alike
    ("harbor-vanity-numbers", None),
])
def test_a_lambda_is_ours_by_the_name_cloudformation_gives_our_functions(tmp_path, function, ours):
    from configuration.model import load_config
    from ivr.flow_import import REPO_ROOT, KnownResources

    config = load_config(json.loads((REPO_ROOT / "cdk.json").read_text())["context"])
    known = KnownResources.of(config, tmp_path, REPO_ROOT / "lambdas")
    assert known.subject("lambda", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}", None) == ours


# --- reading flows as Connect gives them: the check and the kind by content -----------------------

def test_the_check_reads_wrapped_files_without_false_errors(tmp_path):
    files = [write(tmp_path, "flow.json", describe_flow(console_export())), write(tmp_path, "module.json", describe_module()),
             write(tmp_path, "wrapped.json", {"Name": "x", "Content": json.dumps(module_content()), "Tags": {}})]
    problems = check_files(files)
    assert [p for p in problems if p.severity == "error"] == []


def test_the_check_says_the_legacy_format_in_one_line(tmp_path):
    legacy = write(tmp_path, "legacy.json", {"modules": [], "version": "1", "start": "a"})
    (problem,) = check_files([legacy])
    assert (problem.rule, problem.severity) == ("json", "error")
    assert "legacy flow format" in problem.message


@pytest.mark.parametrize("document, kind", [
    (module_content(), "module"),
    ({**module_content(), "Settings": None}, "module"),  # its return and its Metadata say so still
    ({k: v for k, v in module_content().items() if k != "Settings"} | {"Actions": [{"Type": "MessageParticipant"}]}, "module"),
    (console_export(), "flow"),
    ({"Version": "2019-10-30", "StartAction": "a", "Actions": [], "Metadata": {"entryPointPosition": {}}}, None),
])
def test_a_module_is_known_by_its_content(document, kind):
    assert read_flow(document).kind == kind


def test_the_deployment_reads_a_module_by_content_and_stops_on_a_misplaced_one(tmp_path):
    from flow_language.files import FlowFileError, load_flow_files

    (tmp_path / "modules").mkdir()
    write(tmp_path / "modules", "survey.json", describe_module())
    (loaded,) = load_flow_files(tmp_path)
    assert loaded.is_module and loaded.document["Settings"] == module_content()["Settings"]
    write(tmp_path, "survey.json", module_content())
    with pytest.raises(FlowFileError, match=r"survey.json is a flow module \(it has top-level Settings\) but lies among the flows"):
        load_flow_files(tmp_path)


def test_a_file_whose_content_does_not_say_is_a_module_in_a_modules_folder(tmp_path):
    from flow_language.files import load_flow_files

    silent = {"Version": "2019-10-30", "StartAction": "a", "Metadata": {},
              "Actions": [{"Identifier": "a", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}]}
    (tmp_path / "modules").mkdir()
    write(tmp_path / "modules", "quiet.json", silent)
    write(tmp_path, "quiet.json", silent)
    assert [(f.path.parent.name, f.is_module) for f in load_flow_files(tmp_path)] == [(tmp_path.name, False), ("modules", True)]


def test_the_simulator_loads_a_describe_output_and_knows_a_module_by_its_content(tmp_path):
    from ivr.simulator.flows import FlowLibrary

    write(tmp_path, "survey.json", describe_module())
    flow = FlowLibrary(tmp_path).get("survey")
    assert (flow.kind, flow.start_action) == ("module", "ask")
