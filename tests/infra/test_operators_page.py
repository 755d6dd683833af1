"""The operators' page as deployed (issue 14): signed-in users only, on every route; headers; least privilege."""
from __future__ import annotations

import json

import pytest

from lambdas.messages_api.routes import ROUTES
from testkit.template_reading import of_type, properties_of_type


def one(template_json: dict, resource_type: str) -> tuple[str, dict]:
    [(logical_id, resource)] = of_type(template_json, resource_type, prefix="OperatorsPage").items()
    return logical_id, resource["Properties"]


def test_every_route_of_the_api_requires_the_user_pools_jwt(template_json):
    authorizer_id, authorizer = one(template_json, "AWS::ApiGatewayV2::Authorizer")
    routes = properties_of_type(template_json, "AWS::ApiGatewayV2::Route")
    assert {route["RouteKey"] for route in routes.values()} == set(ROUTES)  # no route but these (CORS preflight is API Gateway's)
    for route in routes.values():
        assert route["AuthorizationType"] == "JWT" and route["AuthorizerId"] == {"Ref": authorizer_id}, route["RouteKey"]
    pool_id, _ = one(template_json, "AWS::Cognito::UserPool")
    client_id, _ = one(template_json, "AWS::Cognito::UserPoolClient")
    assert authorizer["AuthorizerType"] == "JWT" and authorizer["IdentitySource"] == ["$request.header.Authorization"]
    assert authorizer["JwtConfiguration"]["Audience"] == [{"Ref": client_id}]
    assert {"Ref": pool_id} in authorizer["JwtConfiguration"]["Issuer"]["Fn::Join"][1]


def test_the_function_checks_the_same_issuer_itself(template_json):
    from lambdas.messages_api.access import ISSUER_ENV

    _, authorizer = one(template_json, "AWS::ApiGatewayV2::Authorizer")
    [function] = [f for f in properties_of_type(template_json, "AWS::Lambda::Function").values()
                  if f.get("Handler") == "lambdas.messages_api.handler.lambda_handler"]
    assert function["Environment"]["Variables"][ISSUER_ENV] == authorizer["JwtConfiguration"]["Issuer"]


def test_the_deployed_api_knows_the_center_as_ivr_messages_serve_does(template_json):
    """The same time zone, languages, queues and flows, so guards and previews agree on a laptop and in AWS."""
    from ivr.messages.center import load_center
    from lambdas.closure_check.environment import TABLE_ENV
    from lambdas.messages_editing.center import CENTER_ENV, Center

    [function] = [f for f in properties_of_type(template_json, "AWS::Lambda::Function").values()
                  if f.get("Handler") == "lambdas.messages_api.handler.lambda_handler"]
    variables = function["Environment"]["Variables"]
    assert Center.from_json(variables[CENTER_ENV]) == load_center()
    table = [k for k in of_type(template_json, "AWS::DynamoDB::Table") if k.startswith("MessagesTable")]
    assert variables[TABLE_ENV] == {"Ref": table[0]}  # the table the closure check reads


def test_the_user_pool_is_invitation_only_with_mfa_and_two_groups(template_json, cdk_context):
    _, pool = one(template_json, "AWS::Cognito::UserPool")
    assert pool["MfaConfiguration"] == "ON" and pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    groups = {g["GroupName"] for g in properties_of_type(template_json, "AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"editors", "viewers"}
    _, user = one(template_json, "AWS::Cognito::UserPoolUser")
    _, membership = one(template_json, "AWS::Cognito::UserPoolUserToGroupAttachment")
    email = cdk_context["operators_page"]["first_editor_email"]
    assert user["Username"] == email and membership == {**membership, "GroupName": "editors", "Username": email}
    _, client = one(template_json, "AWS::Cognito::UserPoolClient")
    assert client["AllowedOAuthFlows"] == ["code"] and client.get("GenerateSecret") is not True  # a public client: PKCE


def test_the_page_is_private_in_s3_and_served_by_cloudfront_with_security_headers(template_json):
    bucket_id, bucket = one(template_json, "AWS::S3::Bucket")
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    _, distribution = one(template_json, "AWS::CloudFront::Distribution")
    config = distribution["DistributionConfig"]
    (origin,) = config["Origins"]
    assert "OriginAccessControlId" in origin and origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    _, policy = one(template_json, "AWS::S3::BucketPolicy")
    reads = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert [s["Principal"] for s in reads] == [{"Service": "cloudfront.amazonaws.com"}]
    _, headers = one(template_json, "AWS::CloudFront::ResponseHeadersPolicy")
    security = headers["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = json.dumps(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert security["FrameOptions"]["FrameOption"] == "DENY"


def test_the_api_function_may_only_read_and_write_the_messages_table(template_json):
    [(role_id, _)] = [(k, r) for k, r in of_type(template_json, "AWS::IAM::Role", prefix="OperatorsPageApi").items()]
    statements = [s for policy in properties_of_type(template_json, "AWS::IAM::Policy").values() if {"Ref": role_id} in policy["Roles"]
                  for s in policy["PolicyDocument"]["Statement"]]
    by_action = {json.dumps(s["Action"]): s for s in statements}
    assert set(by_action) == {
        json.dumps(["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]),
        json.dumps(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]), json.dumps(["logs:CreateLogStream", "logs:PutLogEvents"]),
    }
    table = [k for k in of_type(template_json, "AWS::DynamoDB::Table") if k.startswith("MessagesTable")]
    assert [s["Resource"] for s in statements if "dynamodb:Query" in s["Action"]] == [{"Fn::GetAtt": [table[0], "Arn"]}]
    assert all("kms:ViaService" in s["Condition"]["StringEquals"] for s in statements if "kms:Decrypt" in s["Action"])


def test_the_api_access_log_records_no_identity_or_address(template_json):
    _, stage = one(template_json, "AWS::ApiGatewayV2::Stage")
    log_format = stage["AccessLogSettings"]["Format"]
    assert "$context.routeKey" in log_format and "$context.status" in log_format
    assert "identity" not in log_format and "sourceIp" not in log_format and "claims" not in log_format
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0


@pytest.mark.parametrize("web_acl", ["", "arn:aws:wafv2:us-east-1:111122223333:global/webacl/ivr/11111111-2222-3333-4444-555555555555"])
def test_waf_is_optional_by_configuration(cdk_context, web_acl):
    from aws_cdk import App, Stack
    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_kms as kms
    from aws_cdk.assertions import Template

    from configuration.model import load_config
    from infra.operators_page import OperatorsPage
    from lambdas.messages_editing.center import Center

    config = load_config({**cdk_context, "operators_page": {"waf_web_acl_arn": web_acl}})
    stack = Stack(App(), "Probe", env={"region": "us-east-1", "account": "111122223333"})
    key = kms.Key(stack, "Key")
    table = dynamodb.Table(stack, "Table", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING))
    OperatorsPage(stack, "OperatorsPage", config=config, log_key=key, table=table, table_key=key,
                  center=Center.of("America/New_York", ["en-US"], [], ["main"]))
    template = dict(Template.from_stack(stack).to_json())
    _, distribution = one(template, "AWS::CloudFront::Distribution")
    assert distribution["DistributionConfig"].get("WebACLId") == (web_acl or None)
    assert not of_type(template, "AWS::Cognito::UserPoolUser")  # no first editor given: nobody is invited


def test_a_web_acl_outside_cloudfronts_scope_is_refused(cdk_context):
    from configuration.errors import ConfigError
    from configuration.model import load_config

    with pytest.raises(ConfigError, match="'operators_page.waf_web_acl_arn' must be a WAF web ACL ARN of scope CLOUDFRONT"):
        load_config({**cdk_context, "operators_page": {"waf_web_acl_arn": "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/x/y"}})
