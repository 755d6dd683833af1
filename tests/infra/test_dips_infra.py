"""The data dips as deployed (DD-1..7, SEC-1, SEC-2): least-privilege roles, the secret, Connect's access."""
from __future__ import annotations

import pytest

from lambdas.common import dip_environment as env
from testkit.template_reading import of_type

DIPS = ("order_status", "customer_lookup", "interaction_log")


def function_of(template_json, dip):
    [(logical_id, function)] = [
        (k, v) for k, v in of_type(template_json, "AWS::Lambda::Function").items()
        if v["Properties"]["Handler"] == f"lambdas.{dip}.handler.lambda_handler"
    ]
    return logical_id, function["Properties"]


def secret(template_json):
    """The backend API key's secret (SMS deflection has its own, for the rate limit's HMAC key)."""
    [(logical_id, value)] = of_type(template_json, "AWS::SecretsManager::Secret", prefix="DataDips").items()
    return logical_id, value["Properties"]


def role_statements(template_json, role_logical_id):
    statements = []
    for policy in of_type(template_json, "AWS::IAM::Policy").values():
        if {"Ref": role_logical_id} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def as_list(value):
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("dip", DIPS)
def test_each_dip_has_its_budget_and_the_secret_arn_never_a_value(template_json, cdk_context, dip):
    _, function = function_of(template_json, dip)
    secret_id, _ = secret(template_json)
    variables = function["Environment"]["Variables"]
    budget = cdk_context["dips"][dip]["budget_ms"]

    assert variables[env.DIP_BUDGET_MS] == str(budget)
    assert variables[env.BACKEND_BASE_URL] == cdk_context["backend_base_url"]
    assert variables[env.BACKEND_API_KEY_SECRET_ARN] == {"Ref": secret_id}
    assert variables["POWERTOOLS_SERVICE_NAME"] == dip
    assert variables[env.BACKEND_MAX_ATTEMPTS] == ("5" if dip == "interaction_log" else "3")  # off the caller's path: more retries
    assert (variables[env.CIRCUIT_FAILURE_THRESHOLD], variables[env.CIRCUIT_COOL_DOWN_SECONDS]) == ("5", "10")
    assert function["Timeout"] * 1000 > budget  # Lambda never cuts a dip short of its budget
    assert function["Architectures"] == ["arm64"] and function["Layers"]


@pytest.mark.parametrize("dip", DIPS)
def test_each_role_reads_only_the_backend_secret_and_writes_only_its_logs(template_json, dip):
    _, function = function_of(template_json, dip)
    role_id = function["Role"]["Fn::GetAtt"][0]
    secret_id, _ = secret(template_json)

    statements = role_statements(template_json, role_id)
    actions = sorted(a for s in statements for a in as_list(s["Action"]))

    assert actions == ["logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    for statement in statements:
        assert statement["Effect"] == "Allow"
        if any(a.startswith("secretsmanager:") for a in as_list(statement["Action"])):
            assert statement["Resource"] == {"Ref": secret_id}
        else:
            assert "*" not in str(statement["Action"])


def test_the_secret_is_encrypted_with_its_own_key_that_only_the_backend_callers_may_use(template_json, cdk_context):
    _, properties = secret(template_json)
    key_id = properties["KmsKeyId"]["Fn::GetAtt"][0]
    key = template_json["Resources"][key_id]["Properties"]

    assert properties["Name"] == cdk_context["backend_api_key_secret_name"]
    assert "GenerateSecretString" in properties and "SecretString" not in properties
    assert key["EnableKeyRotation"] is True
    decrypt = [s for s in key["KeyPolicy"]["Statement"] if "kms:Decrypt" in as_list(s["Action"])]
    dip_roles = {function_of(template_json, dip)[1]["Role"]["Fn::GetAtt"][0] for dip in DIPS}
    to_roles = [s for s in decrypt if "Fn::GetAtt" in s["Principal"].get("AWS", {})]
    assert dip_roles <= {s["Principal"]["AWS"]["Fn::GetAtt"][0] for s in to_roles}
    for statement in to_roles:  # only through Secrets Manager: the roles cannot decrypt anything else with it
        assert statement["Condition"] == {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}


@pytest.mark.parametrize("dip", DIPS)
def test_connect_may_invoke_each_dip_from_this_instance_only(template_json, cdk_context, dip):
    function_id, _ = function_of(template_json, dip)
    instance_arn = cdk_context["connect_instance_arn"]

    associations = [
        r["Properties"] for r in of_type(template_json, "AWS::Connect::IntegrationAssociation").values()
        if r["Properties"]["IntegrationArn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    ]
    permissions = [
        r["Properties"] for r in of_type(template_json, "AWS::Lambda::Permission").values()
        if r["Properties"]["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]}
    ]

    assert [a["InstanceId"] for a in associations] == [instance_arn]
    assert [(p["Principal"], p["SourceArn"], p["Action"]) for p in permissions] == [("connect.amazonaws.com", instance_arn, "lambda:InvokeFunction")]


@pytest.mark.parametrize("dip", DIPS)
def test_each_dip_logs_to_its_own_encrypted_log_group_with_retention(template_json, cdk_context, dip):
    _, function = function_of(template_json, dip)
    log_group = template_json["Resources"][function["LoggingConfig"]["LogGroup"]["Ref"]]["Properties"]

    assert log_group["RetentionInDays"] == cdk_context["log_retention_days"]
    assert "KmsKeyId" in log_group


KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.fixture(scope="module")
def existing_secret_template(tmp_path_factory) -> dict:
    """A second synthesis (cdk-nag included): the operator keeps the API key in a secret of their own."""
    from app import build_app

    app, stack = build_app(
        context_overrides={"backend_api_key_secret_exists": True, "backend_api_key_kms_key_arn": KMS_KEY},
        outdir=str(tmp_path_factory.mktemp("cdk.out.existing-secret")),
    )
    return app.synth().get_stack_by_name(stack.stack_name).template


def test_an_existing_secret_is_read_by_name_and_decrypted_with_its_own_key_only(existing_secret_template, cdk_context):
    template = existing_secret_template
    name = cdk_context["backend_api_key_secret_name"]
    assert not of_type(template, "AWS::SecretsManager::Secret", prefix="DataDips")  # no backend secret is created
    for dip in DIPS:
        _, function = function_of(template, dip)
        assert function["Environment"]["Variables"][env.BACKEND_API_KEY_SECRET_ARN] == name
        statements = role_statements(template, function["Role"]["Fn::GetAtt"][0])
        read = [s for s in statements if "secretsmanager:GetSecretValue" in as_list(s["Action"])]
        decrypt = [s for s in statements if "kms:Decrypt" in as_list(s["Action"])]
        assert [f":secret:{name}-??????" in str(s["Resource"]) for s in read] == [True]
        assert [(s["Resource"], s["Condition"]["StringEquals"]["kms:ViaService"]) for s in decrypt] == [(KMS_KEY, "secretsmanager.us-east-1.amazonaws.com")]


@pytest.mark.parametrize("function_folder", ["sms_deflection", "caller_verification"])
def test_the_other_functions_calling_the_backend_decrypt_an_existing_secret_too(existing_secret_template, cdk_context,
                                                                                function_folder):
    """SMS deflection (enrollment from the backend, cdk.json's default) and the caller verification read the
    same API key; beside it they read their own HMAC key, under their own table's key."""
    name = cdk_context["backend_api_key_secret_name"]
    _, function = function_of(existing_secret_template, function_folder)
    assert function["Environment"]["Variables"][env.BACKEND_API_KEY_SECRET_ARN] == name
    statements = role_statements(existing_secret_template, function["Role"]["Fn::GetAtt"][0])
    read = [s for s in statements if "secretsmanager:GetSecretValue" in as_list(s["Action"]) and ":secret:" in str(s["Resource"])]
    through_secrets_manager = [s for s in statements if "kms:Decrypt" in as_list(s["Action"])
                               and "secretsmanager." in str(s.get("Condition"))]
    assert [f":secret:{name}-??????" in str(s["Resource"]) for s in read] == [True]
    assert [s["Resource"] for s in through_secrets_manager] == [KMS_KEY]


EXTENSION_LAYER_US_EAST_1 = "arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4"


@pytest.mark.parametrize("dip", DIPS)
def test_each_dip_has_the_parameters_and_secrets_extension_and_the_function_alone_caches(template_json, dip):
    """The cold path: the dips read the key from the extension's local endpoint (lambdas/common/secrets.py)."""
    from lambdas.common.secrets import EXTENSION_PORT_ENV

    _, function = function_of(template_json, dip)
    assert EXTENSION_LAYER_US_EAST_1 in function["Layers"]  # AWS's layer of version 1.0.103 for arm64 in the stack's region
    variables = function["Environment"]["Variables"]
    assert variables[EXTENSION_PORT_ENV] == "2773"
    assert variables["PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED"] == "false"  # API_KEY_CACHE_TTL_SECONDS stays the one delay


def test_functions_that_read_no_secret_have_no_extension(template_json):
    reading = {*DIPS, "caller_verification"}  # the verification reads the API key and its HMAC key
    for function in of_type(template_json, "AWS::Lambda::Function").values():
        if function["Properties"]["Handler"] not in {f"lambdas.{dip}.handler.lambda_handler" for dip in reading}:
            assert "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT" not in function["Properties"].get("Environment", {}).get("Variables", {})
            assert not any("Parameters-and-Secrets" in str(layer) for layer in function["Properties"].get("Layers", []))


@pytest.mark.parametrize(("setting", "layer"), [
    ("arn:aws:lambda:us-east-1:111122223333:layer:my-extension-copy:7", "arn:aws:lambda:us-east-1:111122223333:layer:my-extension-copy:7"),
    ("none", None),
])
def test_the_extension_layer_is_configured_in_one_place(cdk_context, setting, layer):
    from aws_cdk import App, Stack
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk.assertions import Template

    from configuration.model import load_config
    from infra.lambda_function import RUNTIME, parameters_secrets_extension

    extension = parameters_secrets_extension(load_config({**cdk_context, "parameters_secrets_extension_layer_arn": setting}))
    stack = Stack(App(), "Probe", env={"region": "us-east-1", "account": "111122223333"})
    lambda_.Function(stack, "F", runtime=RUNTIME, handler="h.h", code=lambda_.Code.from_inline("x"), params_and_secrets=extension)
    [function] = of_type(Template.from_stack(stack).to_json(), "AWS::Lambda::Function").values()
    assert function["Properties"].get("Layers") == ([layer] if layer else None)


def test_a_wrong_extension_layer_is_refused_naming_the_key(cdk_context):
    from configuration.errors import ConfigError
    from configuration.model import load_config

    with pytest.raises(ConfigError, match="'parameters_secrets_extension_layer_arn' must be a Lambda layer version ARN, or 'none'"):
        load_config({**cdk_context, "parameters_secrets_extension_layer_arn": "latest"})
