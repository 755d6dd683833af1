"""A local call gives each function the variables AWS gives it (the same names, from configuration.runtime_values),
and fills the flows' placeholders as the deployment does."""
from __future__ import annotations

import pytest

from configuration.model import load_config
from ivr.simulator.callers import ScriptedCaller
from ivr.simulator.engine import CallSettings
from ivr.simulator.services import LocalServices
from ivr.simulator.session import LocalSession
from testkit.template_reading import properties_of_type
from tests.simulator.conftest import WEEKDAY_MORNING, act, end, flow, say
from tests.simulator.test_reference_actions import notes

AWS_ONLY = {"POWERTOOLS_LOG_LEVEL"}  # set by IvrFunction for every function; the simulator sets its own
# The Parameters and Secrets extension's own settings (CDK sets them with its layer): no extension runs locally.
AWS_ONLY |= {"PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
             "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL", "PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS", "SECRETS_MANAGER_TIMEOUT_MILLIS",
             "SECRETS_MANAGER_TTL", "SSM_PARAMETER_STORE_TIMEOUT_MILLIS", "SSM_PARAMETER_STORE_TTL"}


def deployed_environments(template_json) -> dict[str, dict]:
    functions = properties_of_type(template_json, "AWS::Lambda::Function").values()
    environments = (f.get("Environment", {}).get("Variables", {}) for f in functions)
    return {env["POWERTOOLS_SERVICE_NAME"]: env for env in environments if "POWERTOOLS_SERVICE_NAME" in env}


# Never run during a call: the hours overrides run on the messages table's stream (a local call has
# none), and the operators' page API serves supervisors (`ivr messages serve` runs it locally; its
# parity: tests/infra/test_operators_page.py).
OFF_THE_CALL = {"hours_overrides", "messages_api"}


def test_every_deployed_function_is_known_to_the_simulator(template_json):
    assert set(deployed_environments(template_json)) - OFF_THE_CALL == {
        "closure_check", "order_status", "customer_lookup", "interaction_log", "sms_deflection", "caller_verification"}
    assert set(deployed_environments(template_json)) >= OFF_THE_CALL


@pytest.mark.parametrize("folder", ["closure_check", "order_status", "customer_lookup", "interaction_log", "sms_deflection",
                                    "caller_verification"])
def test_a_local_call_sets_the_variables_aws_sets(template_json, folder):
    deployed = deployed_environments(template_json)[folder]
    services = LocalServices(backend_url="http://127.0.0.1:1")  # not started: only the names and settings matter
    services.secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:local"
    local = services.environment(folder)
    assert set(deployed) - AWS_ONLY <= set(local), f"{folder}: missing locally: {sorted(set(deployed) - set(local))}"
    settings = {name for name, value in deployed.items() if isinstance(value, str) and name not in AWS_ONLY}
    for name in settings & {"DIP_BUDGET_MS", "MESSAGES_CACHE_TTL_SECONDS", "SMS_MESSAGE", "CIRCUIT_FAILURE_THRESHOLD", "CODE_VALID_SECONDS"}:
        assert local[name] == deployed[name], name


CRM_LOOKUP = "arn:aws:lambda:us-east-1:444455556666:function:crmLookup"
WELCOME_PROMPT = "arn:aws:connect:us-east-1:444455556666:instance/abc/prompt/welcome"


def test_a_call_fills_what_cdk_json_names_in_flows_resource_arns_as_the_deployment_does(cdk_context, flows_dir):
    """An imported flow names another team's Lambda and a prompt by placeholders that cdk.json's
    flows.resource_arns fills; a placeholder the app fills itself (its queues, its functions) keeps the app's value."""
    flows_dir("imported", flow(
        "welcome",
        act("welcome", "MessageParticipant", {"PromptId": "{{welcome_prompt_arn}}"}, "crm", {"NoMatchingError": "crm"}),
        act("crm", "InvokeLambdaFunction", {"LambdaFunctionARN": "{{crm_lookup_lambda_arn}}", "InvocationTimeLimitSeconds": "3"},
            "tier", {"NoMatchingError": "end"}),
        say("tier", "You are a $.External.tier member.", "queue"),
        act("queue", "UpdateContactTargetQueue", {"QueueArn": "{{orders_queue_arn}}"}, "end", {"NoMatchingError": "end"}),
        end()))
    given = {"welcome_prompt_arn": WELCOME_PROMPT, "crm_lookup_lambda_arn": CRM_LOOKUP,
             "orders_queue_arn": "arn:aws:connect:us-east-1:444455556666:instance/abc/queue/theirs"}
    config = load_config({**cdk_context, "flows": {**cdk_context.get("flows", {}), "resource_arns": given}})
    session = LocalSession(flows_dir.root, services=LocalServices(config), lambda_stubs={"crmLookup": {"tier": "gold"}})
    with session.functions:
        call = session.simulator.call("imported", CallSettings(at=WEEKDAY_MORNING), ScriptedCaller(""))
    assert call.heard() == [f"(plays the recorded prompt {WELCOME_PROMPT})", "You are a gold member."]
    assert call.dips()[0].data["arn"] == CRM_LOOKUP
    assert not any("has no local value" in text for text in notes(call))
    queue = session.library.get("imported").actions["queue"].parameters["QueueArn"]
    assert queue == f"{config.connect_instance.arn}/queue/orders"  # the app's queue, as synth fills it
