"""A local call gives each function the variables AWS gives it: the same names, from configuration.runtime_values."""
from __future__ import annotations

import pytest

from ivr.simulator.services import LocalServices
from testkit.template_reading import properties_of_type

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
