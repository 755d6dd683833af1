"""The messages table and the closure check as deployed (MSG-1, MSG-4, SEC-1, SEC-2)."""
from __future__ import annotations

from aws_cdk.assertions import Match

from lambdas.closure_check import environment
from lambdas.closure_check.items import KEY_SCHEMA
from testkit.template_reading import of_type


def _one(template_json: dict, resource_type: str, predicate=lambda props: True) -> tuple[str, dict]:
    found = [(name, r) for name, r in of_type(template_json, resource_type).items() if predicate(r.get("Properties", {}))]
    assert len(found) == 1, [name for name, _ in found]
    return found[0]


def _messages_table(template_json):
    return _one(template_json, "AWS::DynamoDB::Table", lambda p: p.get("KeySchema") == KEY_SCHEMA)


def _closure_check(template_json):
    return _one(template_json, "AWS::Lambda::Function", lambda p: p.get("Handler") == "lambdas.closure_check.handler.lambda_handler")


def test_table_is_encrypted_with_a_rotated_customer_key_recoverable_and_retained(template_json):
    name, table = _messages_table(template_json)
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"]["SSEEnabled"] is True and props["SSESpecification"]["SSEType"] == "KMS"
    key_name = props["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0]
    assert template_json["Resources"][key_name]["Properties"]["EnableKeyRotation"] is True
    assert template_json["Resources"][key_name]["DeletionPolicy"] == "Retain"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain" and table["UpdateReplacePolicy"] == "Retain"


def test_closure_check_gets_its_settings_and_a_timeout_from_its_budget(template, template_json, cdk_context):
    table_name, _ = _messages_table(template_json)
    _, function = _closure_check(template_json)
    env = function["Properties"]["Environment"]["Variables"]
    assert env[environment.TABLE_ENV] == {"Ref": table_name}
    assert env[environment.CACHE_TTL_ENV] == str(cdk_context["messages_cache_ttl_seconds"])
    assert env[environment.TIME_ZONE_ENV] == cdk_context["time_zone"]
    assert env[environment.DEFAULT_LANGUAGE_ENV] == cdk_context["languages"][0]
    budget_ms = cdk_context["dips"]["closure_check"]["budget_ms"]
    assert env[environment.BUDGET_ENV] == str(budget_ms)
    assert budget_ms / 1000 < function["Properties"]["Timeout"] <= 8
    template.has_output("*", {"Value": {"Ref": table_name}})


def test_closure_check_can_only_query_the_table_and_decrypt_through_dynamodb(template_json):
    table_name, _ = _messages_table(template_json)
    key_name = _messages_table(template_json)[1]["Properties"]["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0]
    _, function = _closure_check(template_json)
    role = function["Properties"]["Role"]["Fn::GetAtt"][0]
    policies = of_type(template_json, "AWS::IAM::Policy")
    statements = [
        s for policy in policies.values() if {"Ref": role} in policy["Properties"]["Roles"]
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    by_action = {str(s["Action"]): s for s in statements}
    assert set(by_action) == {"dynamodb:Query", "kms:Decrypt", str(["logs:CreateLogStream", "logs:PutLogEvents"])}
    assert by_action["dynamodb:Query"]["Resource"] == {"Fn::GetAtt": [table_name, "Arn"]}
    assert by_action["kms:Decrypt"]["Resource"] == {"Fn::GetAtt": [key_name, "Arn"]}
    assert "kms:ViaService" in by_action["kms:Decrypt"]["Condition"]["StringEquals"]
    # Nothing else in the template grants anything on this table to anyone but the operators: their account, the
    # operators' page API (its own grants: tests/infra/test_operators_page.py), and the hours-overrides function's
    # reading of it (tests/infra/test_hours_overrides_infra.py).
    hours_overrides = _one(template_json, "AWS::Lambda::Function", lambda p: p.get("Handler") == "lambdas.hours_overrides.handler.lambda_handler")
    hours_role = hours_overrides[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    page_api = [k for k in of_type(template_json, "AWS::IAM::Role", prefix="OperatorsPageApi")]
    for name, policy in policies.items():
        if {"Ref": role} in policy["Properties"]["Roles"] or policy["Properties"]["Roles"] == [{"Ref": r} for r in page_api]:
            continue
        if {"Ref": hours_role} in policy["Properties"]["Roles"]:
            on_table = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if table_name in str(s["Resource"])]
            assert {str(s["Action"]) for s in on_table} == {
                "dynamodb:Query", str(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"])}, name
            continue
        assert table_name not in str(policy["Properties"]["PolicyDocument"]), name


def test_closure_check_is_callable_by_the_connect_instance(template, cdk_context):
    template.has_resource_properties("AWS::Connect::IntegrationAssociation", {
        "InstanceId": cdk_context["connect_instance_arn"],
        "IntegrationArn": Match.object_like({"Fn::GetAtt": Match.array_with([Match.string_like_regexp("ClosureCheck")])}),
    })


def test_operators_find_the_table_under_the_stack_output_messagestablename(template_json):
    output = template_json["Outputs"]["MessagesTableName"]
    table = next(name for name in of_type(template_json, "AWS::DynamoDB::Table") if "Messages" in name)
    assert output["Value"] == {"Ref": table}
