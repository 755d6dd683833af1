"""Contact flows in the template: one resource per file, every placeholder filled with the app's
own resources, dependencies declared; a broken flow stops synth; existing queues by ARN."""
from __future__ import annotations

import json
import shutil

import pytest

from configuration.model import load_config
from flow_language.translations import LANGUAGE_MENU
from infra.errors import StopSynth
from testkit.template_reading import of_type
from tests.conftest import REPO_ROOT

FLOWS_DIR = REPO_ROOT / "contact_flows"
EXISTING_QUEUE = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
PHONE_NUMBER = "arn:aws:connect:us-east-1:111122223333:phone-number/99999999-8888-7777-6666-555555555555"


def content(resource: dict) -> tuple[dict, list]:
    """The flow JSON of a ContactFlow resource, each CloudFormation intrinsic in it replaced by
    a marker `@@<n>@@`, and the list of those intrinsics."""
    value = resource["Properties"]["Content"]
    parts = value["Fn::Join"][1] if isinstance(value, dict) else [value]
    intrinsics = [part for part in parts if not isinstance(part, str)]
    text, n = "", 0
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            text, n = text + f"@@{n}@@", n + 1
    return json.loads(text), intrinsics


def resolve(value: str, intrinsics: list):
    return intrinsics[int(value.strip("@"))] if value.startswith("@@") else value


@pytest.fixture(scope="module")
def config(cdk_context):
    return load_config(cdk_context)


def test_one_contact_flow_per_file_and_one_module_per_module_file(template_json, config):
    flows = of_type(template_json, "AWS::Connect::ContactFlow")
    modules = of_type(template_json, "AWS::Connect::ContactFlowModule")
    # With one language the language menu is not deployed (tests/infra/test_languages_infra.py: with two).
    assert sorted(r["Properties"]["Name"] for r in flows.values()) == sorted(
        f"ivr-{config.environment}-{p.stem}" for p in FLOWS_DIR.glob("*.json") if p.stem != LANGUAGE_MENU)
    assert len(modules) == len(list((FLOWS_DIR / "modules").glob("*.json")))
    types = {r["Properties"]["Name"]: r["Properties"]["Type"] for r in flows.values()}
    assert types[f"ivr-{config.environment}-customer_queue"] == "CUSTOMER_QUEUE"
    assert types[f"ivr-{config.environment}-main"] == "CONTACT_FLOW"
    assert all(r["Properties"]["InstanceArn"] == config.connect_instance.arn for r in flows.values())


def test_content_has_every_placeholder_filled_and_a_position_for_every_block(template_json):
    for resource in of_type(template_json, "AWS::Connect::ContactFlow").values():
        flow, _ = content(resource)
        assert "{{" not in json.dumps(flow), resource["Properties"]["Name"]
        positions = flow["Metadata"]["ActionMetadata"]
        assert all("position" in positions[a["Identifier"]] for a in flow["Actions"])


def test_lambda_arns_resolve_to_the_apps_functions_with_their_time_limits(template_json, config):
    functions = of_type(template_json, "AWS::Lambda::Function")
    invoked = set()
    for resource in of_type(template_json, "AWS::Connect::ContactFlow").values():
        flow, intrinsics = content(resource)
        for action in flow["Actions"]:
            if action["Type"] != "InvokeLambdaFunction":
                continue
            arn = resolve(action["Parameters"]["LambdaFunctionARN"], intrinsics)
            assert arn.get("Fn::GetAtt", [None])[0] in functions, arn
            logical_id = arn["Fn::GetAtt"][0]
            folder = functions[logical_id]["Properties"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
            assert action["Parameters"]["InvocationTimeLimitSeconds"] == str(config.dips[folder].invocation_time_limit_seconds)
            invoked.add(folder)
            # the flow is created after the function's integration with the instance
            integration = [k for k, r in of_type(template_json, "AWS::Connect::IntegrationAssociation").items()
                           if r["Properties"]["IntegrationArn"] == {"Fn::GetAtt": [logical_id, "Arn"]}]
            assert integration and set(integration) <= set(resource.get("DependsOn", []))
    assert invoked == {"closure_check", "customer_lookup", "order_status", "interaction_log", "sms_deflection"}


def test_flows_depend_on_the_flows_queues_and_hours_they_reference(template_json):
    flows = of_type(template_json, "AWS::Connect::ContactFlow")
    created = {**of_type(template_json, "AWS::Connect::Queue"), **of_type(template_json, "AWS::Connect::HoursOfOperation"),
               **flows}
    for logical_id, resource in flows.items():
        flow, intrinsics = content(resource)
        referenced = {value["Fn::GetAtt"][0] for value in intrinsics
                      if isinstance(value, dict) and "Fn::GetAtt" in value and value["Fn::GetAtt"][0] in created}
        assert referenced <= set(resource.get("DependsOn", [])), logical_id
    main = next(r for r in flows.values() if r["Properties"]["Name"].endswith("-main"))
    assert len([d for d in main["DependsOn"] if d in flows]) == 4  # order_status, agent_transfer, after_hours, queue


def test_queues_and_hours_are_created_when_not_given_by_arn(template_json, config):
    queues = of_type(template_json, "AWS::Connect::Queue")
    assert sorted(r["Properties"]["Name"] for r in queues.values()) == [
        f"ivr-{config.environment}-{name}" for name in ("billing", "general", "orders")]
    (hours,) = of_type(template_json, "AWS::Connect::HoursOfOperation", prefix="ContactFlows").values()  # (the test cases' own aside)
    assert hours["Properties"]["TimeZone"] == config.time_zone
    assert {day["Day"] for day in hours["Properties"]["Config"]} == {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}


def test_prompt_texts_come_from_configuration(template_json, config):
    main = next(r for r in of_type(template_json, "AWS::Connect::ContactFlow").values()
                if r["Properties"]["Name"].endswith("-after_hours"))
    text = json.dumps(content(main)[0])
    assert config.flows.website in text and config.flows.opening_hours_text in text


def test_a_broken_flow_stops_synth_with_the_validators_message(tmp_path):
    from app import build_app

    shutil.copytree(FLOWS_DIR, tmp_path / "flows")
    main = json.loads((tmp_path / "flows" / "main.json").read_text())
    main["Actions"][0]["Transitions"]["NextAction"] = "no-such-block"
    (tmp_path / "flows" / "main.json").write_text(json.dumps(main))
    with pytest.raises(StopSynth) as stopped:
        build_app(context_overrides={"flows": {"directory": str(tmp_path / "flows")}, "monitoring_enabled": False},
                  outdir=str(tmp_path / "out"))
    message = str(stopped.value)
    assert "main.json:flow-logging: error:" in message and '"no-such-block"' in message


def test_a_transfer_to_a_queue_flow_stops_synth(tmp_path):
    from app import build_app

    shutil.copytree(FLOWS_DIR, tmp_path / "flows")
    main = json.loads((tmp_path / "flows" / "main.json").read_text())
    to_agent = next(a for a in main["Actions"] if a["Parameters"].get("ContactFlowId") == "{{agent_transfer_flow_arn}}")
    to_agent["Parameters"]["ContactFlowId"] = "{{customer_queue_flow_arn}}"
    (tmp_path / "flows" / "main.json").write_text(json.dumps(main))
    with pytest.raises(StopSynth) as stopped:
        build_app(context_overrides={"flows": {"directory": str(tmp_path / "flows")}, "monitoring_enabled": False},
                  outdir=str(tmp_path / "out"))
    assert f"main.json:{to_agent['Identifier']}: error: TransferToFlow goes to customer_queue, a flow of type customerQueue" \
        in str(stopped.value)


HOURS_TEXT = 'Monday to Friday, "8 to 8" \\ closed on weekends'
CHIME_PROMPT = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555/prompt/cccccccc-1111-2222-3333-444444444444"
GOODBYE_MODULE = {
    "Version": "2019-10-30", "StartAction": "channels", "Metadata": {"name": "Goodbye"},
    "Actions": [
        {"Identifier": "channels", "Type": "MessageParticipant", "Parameters": {"Text": "Find us at {{website}}."},
         "Transitions": {"NextAction": "chime", "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "chime"}]}},
        {"Identifier": "chime", "Type": "MessageParticipant", "Parameters": {"PromptId": "{{goodbye_chime_prompt_arn}}"},
         "Transitions": {"NextAction": "back", "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "back"}]}},
        {"Identifier": "back", "Type": "EndFlowModuleExecution", "Parameters": {}, "Transitions": {}},
    ],
}


@pytest.fixture(scope="module")
def other_deployment(tmp_path_factory) -> dict:
    """A second synthesis: an existing queue by ARN, a phone number to associate, a prompt text
    with quotes, and a flow module that after_hours invokes (besides our own verify_caller), playing a
    prompt the configuration gives (`flows.resource_arns`, as `ivr flows import` lists them)."""
    from app import build_app

    root = tmp_path_factory.mktemp("other")
    flows = root / "flows"
    shutil.copytree(FLOWS_DIR, flows)
    (flows / "modules").mkdir(exist_ok=True)
    (flows / "modules" / "goodbye.json").write_text(json.dumps(GOODBYE_MODULE))
    after_hours = json.loads((flows / "after_hours.json").read_text())
    channels = next(a for a in after_hours["Actions"] if a["Identifier"] == "channels")
    channels.update(Type="InvokeFlowModule", Parameters={"FlowModuleId": "{{goodbye_module_id}}"},
                    Transitions={"NextAction": "bye", "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "bye"}]})
    after_hours["Actions"].append({"Identifier": "bye", "Type": "MessageParticipant", "Parameters": {"Text": "Goodbye."},
                                   "Transitions": {"NextAction": "end",
                                                   "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "end"}]}})
    (flows / "after_hours.json").write_text(json.dumps(after_hours))
    overrides = {"monitoring_enabled": False,
                 "flows": {"directory": str(flows), "queue_arns": {"orders": EXISTING_QUEUE},
                           "phone_number_arn": PHONE_NUMBER, "opening_hours_text": HOURS_TEXT,
                           "resource_arns": {"goodbye_chime_prompt_arn": CHIME_PROMPT}}}
    app, stack = build_app(context_overrides=overrides, outdir=str(root / "out"))
    return app.synth().get_stack_by_name(stack.stack_name).template  # cdk-nag passes too


def flow_named(template_json: dict, stem: str) -> tuple[str, dict]:
    return next((k, r) for k, r in of_type(template_json, "AWS::Connect::ContactFlow").items()
                if r["Properties"]["Name"].endswith(f"-{stem}"))


def test_an_existing_queue_given_by_arn_is_referenced_not_created(other_deployment):
    queues = of_type(other_deployment, "AWS::Connect::Queue")
    assert sorted(r["Properties"]["Name"].rsplit("-", 1)[1] for r in queues.values()) == ["billing", "general"]
    flow, _ = content(flow_named(other_deployment, "agent_transfer")[1])
    assert {"QueueId": EXISTING_QUEUE} in [a.get("Parameters") for a in flow["Actions"]]


def test_a_prompt_value_with_quotes_and_a_backslash_survives_into_the_flow(other_deployment):
    flow, _ = content(flow_named(other_deployment, "agent_transfer")[1])
    texts = [a["Parameters"].get("Text", "") for a in flow["Actions"] if a["Type"] == "MessageParticipant"]
    assert any(HOURS_TEXT in text for text in texts)


def test_a_module_is_deployed_and_the_flow_invoking_it_gets_its_id_and_waits_for_it(other_deployment):
    module_id, module = next((k, r) for k, r in of_type(other_deployment, "AWS::Connect::ContactFlowModule").items()
                             if r["Properties"]["Name"].endswith("-goodbye"))
    assert "www.example.com" in module["Properties"]["Content"]
    assert {"PromptId": CHIME_PROMPT} in [a["Parameters"] for a in json.loads(module["Properties"]["Content"])["Actions"]]
    _, after_hours = flow_named(other_deployment, "after_hours")
    flow, intrinsics = content(after_hours)
    (invoke,) = [a for a in flow["Actions"] if a["Type"] == "InvokeFlowModule"]
    module_ref = resolve(invoke["Parameters"]["FlowModuleId"], intrinsics)
    assert module_ref["Fn::Select"][1]["Fn::Split"][1] == {"Fn::GetAtt": [module_id, "ContactFlowModuleArn"]}
    assert module_id in after_hours["DependsOn"]


def test_the_phone_number_is_pointed_at_the_main_flow_with_least_privilege(other_deployment):
    (association,) = of_type(other_deployment, "Custom::AWS").values()
    create = association["Properties"]["Create"]
    assert "associatePhoneNumberContactFlow" in json.dumps(create)
    assert "99999999-8888-7777-6666-555555555555" in json.dumps(create)
    main_id, _ = flow_named(other_deployment, "main")
    flow_id = next(part for part in create["Fn::Join"][1] if isinstance(part, dict))
    assert flow_id["Fn::Select"][1]["Fn::Split"][1] == {"Fn::GetAtt": [main_id, "ContactFlowArn"]}
    policies = [r for r in of_type(other_deployment, "AWS::IAM::Policy").values()
                if "connect:AssociatePhoneNumberContactFlow" in json.dumps(r)]
    (statement,) = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    assert statement["Action"] == ["connect:AssociatePhoneNumberContactFlow", "connect:DisassociatePhoneNumberContactFlow"]
    assert PHONE_NUMBER in statement["Resource"] and "*" not in json.dumps(statement["Resource"])


def test_the_stack_outputs_what_fills_the_flows_placeholders_for_ivr_flows_drift(template_json):
    """Every flow's own ARN and every resource a flow references, by placeholder; settings come from cdk.json."""
    import re

    from configuration.runtime_values import FLOW_RESOURCES_OUTPUT
    from flow_language.files import load_flow_files
    from flow_language.placeholders import SUFFIXES, placeholder
    from tests.conftest import REPO_ROOT

    value = template_json["Outputs"][FLOW_RESOURCES_OUTPUT]["Value"]["Fn::Join"][1]
    text = "".join(part if isinstance(part, str) else '"TOKEN"' for part in value).replace('""TOKEN""', '"TOKEN"')
    names = set(re.findall(r'"([a-z_]+)":', text))
    files = [f for f in load_flow_files(REPO_ROOT / "contact_flows") if f.stem != LANGUAGE_MENU]  # one language
    wanted = {placeholder("flow", f.stem) for f in files if not f.is_module}
    wanted |= {placeholder(kind, name) for f in files for kind in SUFFIXES if kind != "time_limit" for name in f.references(kind)}
    assert wanted <= names
    assert all(any(name.endswith(suffix) for suffix in SUFFIXES.values()) for name in names)  # no setting, no time limit
    assert not any(name.endswith(SUFFIXES["time_limit"]) for name in names)
