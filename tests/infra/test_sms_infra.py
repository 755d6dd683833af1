"""The SMS deflection's infrastructure in the synthesized template (DD-4, SEC-1, SEC-2, SEC-4)."""
from __future__ import annotations

import pytest

from configuration.model import load_config
from infra.lambda_function import IvrFunction
from testkit.template_reading import of_type

ORIGINATION = "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1234567890abcdef"


def one(template_json: dict, kind: str) -> dict:
    found = of_type(template_json, kind, prefix="SmsDeflection")
    assert len(found) == 1, found
    return next(iter(found.values()))["Properties"]


def statements(template_json: dict) -> list[dict]:
    return one(template_json, "AWS::IAM::Policy")["PolicyDocument"]["Statement"]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def test_the_stack_exposes_the_function_for_the_flows(synthesized_app):
    _, stack = synthesized_app
    assert isinstance(stack.sms_deflection.function, IvrFunction)


def test_the_table_is_on_demand_encrypted_with_its_own_key_expiring_and_recoverable(template_json):
    table = one(template_json, "AWS::DynamoDB::Table")
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["SSESpecification"]["SSEEnabled"] is True and table["SSESpecification"]["SSEType"] == "KMS"
    assert "SmsDeflectionTableKey" in table["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert one(template_json, "AWS::KMS::Key")["EnableKeyRotation"] is True


def test_the_function_gets_the_rendered_message_and_its_budget(template_json, cdk_context):
    config = load_config(cdk_context)
    function = one(template_json, "AWS::Lambda::Function")
    env = function["Environment"]["Variables"]
    assert env["SMS_MESSAGE"] == config.sms.message and "STOP" in env["SMS_MESSAGE"]
    assert env["DIP_BUDGET_MS"] == str(config.dip("sms_deflection").budget_ms)
    assert env["POWERTOOLS_SERVICE_NAME"] == "sms_deflection"
    assert function["Timeout"] == config.dip("sms_deflection").lambda_timeout_seconds
    assert function["Handler"] == "lambdas.sms_deflection.handler.lambda_handler"


def test_connect_may_invoke_it(template_json):
    association = one(template_json, "AWS::Connect::IntegrationAssociation")
    assert association["IntegrationType"] == "LAMBDA_FUNCTION"
    permission = one(template_json, "AWS::Lambda::Permission")
    assert permission["Principal"] == "connect.amazonaws.com"


def test_least_privilege_table_key_and_sns_to_phone_numbers_only(template_json):
    allowed = [s for s in statements(template_json) if s["Effect"] == "Allow"]
    actions = {a for s in allowed for a in as_list(s["Action"])}
    assert not any("*" in a for a in actions)
    table_statement = next(s for s in allowed if "dynamodb:PutItem" in as_list(s["Action"]))
    assert sorted(as_list(table_statement["Action"])) == ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    assert "SmsDeflectionTable" in table_statement["Resource"]["Fn::GetAtt"][0]
    key_statement = next(s for s in allowed if "kms:Decrypt" in as_list(s["Action"]))
    assert "SmsDeflectionTableKey" in key_statement["Resource"]["Fn::GetAtt"][0]
    sns_statement = next(s for s in allowed if "sns:Publish" in as_list(s["Action"]))
    assert sns_statement["Resource"] == "*"
    deny = [s for s in statements(template_json) if s["Effect"] == "Deny"]
    assert deny and deny[0]["Action"] == "sns:Publish"
    assert not any("sms-voice" in a for a in actions)


@pytest.fixture(scope="module")
def end_user_messaging_template(tmp_path_factory) -> dict:
    """A second synthesis (cdk-nag included): End User Messaging with a configuration set, enrollment from a table."""
    from app import build_app

    app, stack = build_app(
        {"sms_deflection": {
            "channel": "end_user_messaging", "origination_identity": ORIGINATION, "configuration_set": "ivr-sms",
            "enrollment_source": "table", "enrollment_table_name": "app-enrollment", "push_webhook_url": "https://push.example.com/notify",
        }},
        outdir=str(tmp_path_factory.mktemp("cdk.out")),
    )
    return app.synth().get_stack_by_name(stack.stack_name).template


def test_end_user_messaging_may_send_only_from_the_configured_identity(end_user_messaging_template):
    allowed = [s for s in statements(end_user_messaging_template) if s["Effect"] == "Allow"]
    send = [s for s in allowed if "sms-voice:SendTextMessage" in as_list(s["Action"])]
    assert len(send) == 1 and as_list(send[0]["Action"]) == ["sms-voice:SendTextMessage"]
    resources_ = as_list(send[0]["Resource"])
    assert resources_[0] == ORIGINATION and len(resources_) == 2
    assert "configuration-set/ivr-sms" in str(resources_[1])
    assert not any(a.startswith("sns:") for s in allowed for a in as_list(s["Action"]))
    env = one(end_user_messaging_template, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["SMS_CHANNEL"] == "end_user_messaging" and env["SMS_ORIGINATION_IDENTITY"] == ORIGINATION


def test_enrollment_from_a_table_may_only_read_that_table(end_user_messaging_template):
    allowed = [s for s in statements(end_user_messaging_template) if s["Effect"] == "Allow"]
    reads = [s for s in allowed if as_list(s["Action"]) == ["dynamodb:GetItem"]]
    assert len(reads) == 1 and ":table/app-enrollment" in str(reads[0]["Resource"])
    env = one(end_user_messaging_template, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert (env["ENROLLMENT_SOURCE"], env["ENROLLMENT_TABLE_NAME"]) == ("table", "app-enrollment")
    assert env["PUSH_WEBHOOK_URL"] == "https://push.example.com/notify"


def test_enrollment_from_the_backend_reads_the_dips_api_key_secret_by_arn_only(template_json):
    env = one(template_json, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["ENROLLMENT_SOURCE"] == "backend"
    assert env["BACKEND_BASE_URL"] == "https://api.example.com/ivr"
    assert "DataDipsBackendApiKey" in env["BACKEND_API_KEY_SECRET_ARN"]["Ref"]
    allowed = [s for s in statements(template_json) if s["Effect"] == "Allow"]
    secrets = sorted(s["Resource"]["Ref"] for s in allowed if "secretsmanager:GetSecretValue" in as_list(s["Action"]))
    assert len(secrets) == 2 and "DataDipsBackendApiKey" in secrets[0] and "SmsDeflectionRateLimitKey" in secrets[1]


def test_the_function_reads_back_every_setting_infra_gives_it(cdk_context):
    from configuration.runtime_values import sms_deflection_environment
    from lambdas.sms_deflection.settings import Settings

    sms = {"channel": "end_user_messaging", "origination_identity": ORIGINATION, "unknown_line_type": "refuse", "rate_limit_window_minutes": 60}
    config = load_config({**cdk_context, "sms_deflection": sms})
    settings = Settings.from_environment(sms_deflection_environment(config, table_name="the-table", rate_limit_key_secret_id="the-key"))
    assert (settings.table_name, settings.channel, settings.origination_identity) == ("the-table", "end_user_messaging", ORIGINATION)
    assert (settings.message, settings.unknown_line_type, settings.rate_limit_window_seconds) == (config.sms.message, "refuse", 3600)
    assert settings.budget_ms == config.dip("sms_deflection").budget_ms
    assert settings.rate_limit_key_secret_id == "the-key"


def test_the_rate_limit_hmac_key_is_a_generated_secret_encrypted_with_the_functions_key(template_json):
    (secret_id, secret), = of_type(template_json, "AWS::SecretsManager::Secret", prefix="SmsDeflectionRateLimitKey").items()
    properties = secret["Properties"]
    assert properties["GenerateSecretString"]["PasswordLength"] >= 32 and "SecretString" not in properties
    assert "SmsDeflectionTableKey" in properties["KmsKeyId"]["Fn::GetAtt"][0]
    env = one(template_json, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["RATE_LIMIT_KEY_SECRET_ARN"] == {"Ref": secret_id}  # its ARN, never its value


def test_only_the_sms_function_may_read_the_rate_limit_hmac_key(template_json):
    (secret_id, _), = of_type(template_json, "AWS::SecretsManager::Secret", prefix="SmsDeflectionRateLimitKey").items()
    readers = {
        policy_id: [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if {"Ref": secret_id} in as_list(s["Resource"])]
        for policy_id, policy in of_type(template_json, "AWS::IAM::Policy").items()
    }
    readers = {policy_id: found for policy_id, found in readers.items() if found}
    assert list(readers) == list(of_type(template_json, "AWS::IAM::Policy", prefix="SmsDeflection"))
    (grant,) = next(iter(readers.values()))
    assert grant["Effect"] == "Allow" and set(grant["Action"]) == {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}
    # Decrypting it needs the table key through Secrets Manager: besides the account (IAM decides), the key policy names this role only.
    key = one(template_json, "AWS::KMS::Key")
    through_secrets_manager = [s for s in key["KeyPolicy"]["Statement"]
                               if s.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService") == "secretsmanager.us-east-1.amazonaws.com"
                               and "kms:Decrypt" in as_list(s["Action"])]
    roles = [s["Principal"]["AWS"] for s in through_secrets_manager if "Fn::GetAtt" in s["Principal"]["AWS"]]
    assert [role["Fn::GetAtt"][0] for role in roles] == [one_role(template_json)]


def one_role(template_json: dict) -> str:
    (role_id,) = of_type(template_json, "AWS::IAM::Role", prefix="SmsDeflection")
    return role_id
