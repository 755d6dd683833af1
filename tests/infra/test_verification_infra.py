"""The caller verification's infrastructure in the synthesized template (issue 17, SEC-1, SEC-2, SEC-4)."""
from __future__ import annotations

import json

import pytest

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


def verify_caller_content(template: dict) -> str:
    module = next(r for r in of_type(template, "AWS::Connect::ContactFlowModule").values()
                  if r["Properties"]["Name"] == "ivr-dev-verify_caller")
    return json.dumps(module["Properties"]["Content"])


def test_without_a_certificate_there_is_no_pin_key_no_pin_prompt_and_the_function_never_offers_a_pin(template_json):
    assert of_type(template_json, "AWS::Connect::SecurityKey") == {}
    env = one(template_json, "AWS::Lambda::Function")[1]["Properties"]["Environment"]["Variables"]
    assert "VERIFICATION_INPUT_KEY_SECRET_ARN" not in env
    content = verify_caller_content(template_json)
    assert "InputEncryption" not in content and '\\"Identifier\\":\\"enter-pin\\"' not in content
    assert '\\"Identifier\\":\\"enter-code\\"' in content


@pytest.fixture(scope="module")
def pin_template(tmp_path_factory) -> dict:
    """A second synthesis (cdk-nag included) with the certificate of encrypted input configured."""
    from app import build_app
    from ivr.simulator.encrypted_input import local_key_pair

    app, stack = build_app({"verification": {"pin_certificate": local_key_pair().certificate_pem}},
                           outdir=str(tmp_path_factory.mktemp("cdk.out")))
    return app.synth().get_stack_by_name(stack.stack_name).template


def test_the_certificates_public_key_becomes_the_instances_security_key_and_the_pin_prompt_uses_it(pin_template):
    from infra.caller_verification import public_key_of
    from ivr.simulator.encrypted_input import local_key_pair

    (key_id, key), = of_type(pin_template, "AWS::Connect::SecurityKey").items()
    assert key["Properties"]["Key"] == public_key_of(local_key_pair().certificate_pem)
    assert "PRIVATE" not in json.dumps(pin_template)  # the stack never holds the private key
    content = verify_caller_content(pin_template)
    assert '\\"Identifier\\":\\"enter-pin\\"' in content
    assert key_id in content and "AssociationId" in content  # EncryptionKeyId: the security key's id
    assert "BEGIN CERTIFICATE" in content


def test_only_the_verification_function_reads_the_private_key_secret(pin_template):
    secrets = of_type(pin_template, "AWS::SecretsManager::Secret", prefix=PREFIX)
    [(secret_id, secret)] = [(k, r) for k, r in secrets.items() if "InputPrivateKey" in k]
    key_id, _ = one(pin_template, "AWS::KMS::Key")
    assert secret["Properties"]["KmsKeyId"]["Fn::GetAtt"][0] == key_id
    env = one(pin_template, "AWS::Lambda::Function")[1]["Properties"]["Environment"]["Variables"]
    assert env["VERIFICATION_INPUT_KEY_SECRET_ARN"] == {"Ref": secret_id}
    assert env["VERIFICATION_SECURITY_KEY_ID"] == {"Fn::GetAtt": [next(iter(of_type(pin_template, "AWS::Connect::SecurityKey"))), "AssociationId"]}
    readers = [name for name, policy in of_type(pin_template, "AWS::IAM::Policy").items()
               if secret_id in json.dumps(policy["Properties"]["PolicyDocument"])]
    assert len(readers) == 1 and readers[0].startswith(PREFIX)


@pytest.mark.parametrize(("certificate", "problem"), [
    ("not a certificate", "must be an X.509 certificate in PEM format"),
    ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "is not a readable X.509 certificate"),
])
def test_a_certificate_that_cannot_encrypt_stops_synthesis_naming_the_key(cdk_context, certificate, problem):
    from configuration.errors import ConfigError

    with pytest.raises(ConfigError, match=f"verification.pin_certificate' {problem}"):
        load_config({**cdk_context, "verification": {"pin_certificate": certificate}})


def test_a_security_key_registered_already_is_used_as_given(cdk_context):
    from configuration.runtime_values import flow_settings
    from ivr.simulator.encrypted_input import local_key_pair

    config = load_config({**cdk_context, "verification": {"pin_certificate": local_key_pair().certificate_pem,
                                                          "pin_security_key_id": "0f1e2d3c-aaaa-bbbb-cccc-111122223333"}})
    assert flow_settings(config)["verification_security_key_id"] == "0f1e2d3c-aaaa-bbbb-cccc-111122223333"


def test_a_security_key_id_without_its_certificate_stops_synthesis(cdk_context):
    from configuration.errors import ConfigError

    with pytest.raises(ConfigError, match="verification.pin_security_key_id' needs verification.pin_certificate too"):
        load_config({**cdk_context, "verification": {"pin_security_key_id": "0f1e2d3c-aaaa-bbbb-cccc-111122223333"}})
