"""The caller verification's infrastructure in the synthesized template (issue 17, SEC-1, SEC-2, SEC-4)."""
from __future__ import annotations

import json

from configuration.model import load_config
from testkit.template_reading import of_type

PREFIX = "CallerVerification"


def one(template_json: dict, kind: str) -> tuple[str, dict]:
    found = of_type(template_json, kind, prefix=PREFIX)
    assert len(found) == 1, found
    return next(iter(found.items()))


def statements(template_json: dict) -> list[dict]:
    return one(template_json, "AWS::IAM::Policy")[1]["Properties"]["PolicyDocument"]["Statement"]


def test_the_table_is_encrypted_with_its_own_key_expiring_and_recoverable(template_json):
    table = one(template_json, "AWS::DynamoDB::Table")[1]["Properties"]
    key_id, key = one(template_json, "AWS::KMS::Key")
    assert table["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0] == key_id
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert key["Properties"]["EnableKeyRotation"] is True


def test_the_hmac_key_is_generated_and_encrypted_with_the_tables_key(template_json):
    key_id, _ = one(template_json, "AWS::KMS::Key")
    secret = one(template_json, "AWS::SecretsManager::Secret")[1]["Properties"]
    assert secret["KmsKeyId"]["Fn::GetAtt"][0] == key_id
    assert secret["GenerateSecretString"]["PasswordLength"] == 64


def test_the_function_is_configured_from_the_verification_settings(template_json, cdk_context):
    config = load_config(cdk_context)
    function = one(template_json, "AWS::Lambda::Function")[1]["Properties"]
    env = function["Environment"]["Variables"]
    assert function["Handler"] == "lambdas.caller_verification.handler.lambda_handler"
    assert env["CODE_VALID_SECONDS"] == str(config.verification.code_valid_minutes * 60)
    assert env["CODE_MAX_ATTEMPTS"] == "3"
    assert env["DIP_BUDGET_MS"] == str(config.dip("caller_verification").budget_ms)
    assert "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT" in env  # both keys are read through the extension
    assert not any("key" in name.lower() and "ARN" not in name for name in env)  # secrets by ARN only


def test_least_privilege_the_table_through_dynamodb_and_no_wildcard_but_sns_sms(template_json):
    table_id, _ = one(template_json, "AWS::DynamoDB::Table")
    allowed = [s for s in statements(template_json) if s["Effect"] == "Allow"]
    table = next(s for s in allowed if "dynamodb:UpdateItem" in s["Action"])
    assert table["Resource"] == {"Fn::GetAtt": [table_id, "Arn"]}
    assert set(table["Action"]) == {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    kms = next(s for s in allowed if "kms:GenerateDataKey" in s["Action"])
    assert kms["Condition"]["StringEquals"]["kms:ViaService"] == "dynamodb.us-east-1.amazonaws.com"
    wildcards = [s for s in allowed if s["Resource"] == "*"]
    assert [sorted(s["Action"]) for s in wildcards] == [["sns:CheckIfPhoneNumberIsOptedOut", "sns:Publish"]]
    assert any(s["Effect"] == "Deny" and s["Action"] == "sns:Publish" for s in statements(template_json))


def test_the_module_is_deployed_and_main_invokes_it_for_billing(template_json):
    modules = of_type(template_json, "AWS::Connect::ContactFlowModule")
    [(module_id, module)] = [(k, r) for k, r in modules.items() if r["Properties"]["Name"] == "ivr-dev-verify_caller"]
    content = json.loads(module["Properties"]["Content"]) if isinstance(module["Properties"]["Content"], str) else None
    assert content is None or content["StartAction"] == "checking"
    main = next(r for r in of_type(template_json, "AWS::Connect::ContactFlow").values() if r["Properties"]["Name"] == "ivr-dev-main")
    assert module_id in main["DependsOn"]
    assert '\\"verification_required\\":\\"true\\"' in json.dumps(main["Properties"]["Content"])


def test_spikes_of_failed_verifications_and_lockouts_raise_alarms_on_the_service_dimension_only(template_json):
    from testkit.template_reading import alarms, watched

    by_name = {alarm["AlarmName"]: alarm for alarm in alarms(template_json).values()}
    failures, lockouts = by_name["connect-ivr-dev-caller_verification-failures"], by_name["connect-ivr-dev-caller_verification-lockouts"]
    assert {w.name for w in watched(failures)} == {"ResultFailed", "ResultLocked"}
    assert [w.name for w in watched(lockouts)] == ["ResultLocked"]
    assert (failures["Threshold"], lockouts["Threshold"]) == (10, 3)
    for alarm in (failures, lockouts):
        assert alarm["TreatMissingData"] == "notBreaching"
        assert all(w.dimensions == {"service": "caller_verification"} for w in watched(alarm))
