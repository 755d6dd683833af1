"""The operators' page (issue 14): supervisors edit holiday and emergency messages in a browser.

- The page: the static files of `operators_page/` in a private S3 bucket, served by CloudFront
  through origin access control, with security headers (CSP, HSTS, frame-ancestors; the same as
  `ivr messages serve`, from `lambdas.messages_api.page`), and a WAF web ACL when
  `operators_page.waf_web_acl_arn` names one. `config.json` beside the files tells the page its
  API and sign-in.
- Sign-in: a Cognito user pool (no self sign-up, MFA required by authenticator app, strong
  passwords), groups `editors` and `viewers`, the first editor from `operators_page.first_editor_email`,
  and a hosted-UI client (authorization code with PKCE, no secret) whose only callback is the page.
- The API: an HTTP API whose every route (`lambdas.messages_api.routes.ROUTES`) has the user pool's
  JWT authorizer, CORS for the page's origin only, throttled, with an access log that records no
  identity or address; behind it the API function, which may read and write the messages table
  and nothing else (and checks the token's claims and groups itself).
"""
from __future__ import annotations

from typing import cast

from aws_cdk import CfnElement, CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from constructs import Construct

from configuration.model import IvrConfig
from infra.lambda_function import REPO_ROOT, IvrFunction
from infra.nag import acknowledge
from lambdas.closure_check.environment import TABLE_ENV
from lambdas.messages_api.access import EDITORS, ISSUER_ENV, VIEWERS
from lambdas.messages_api.page import HSTS_SECONDS, PAGE_FILES, content_security_policy
from lambdas.messages_api.routes import ROUTES
from lambdas.messages_editing.center import CENTER_ENV, Center

FOLDER = "messages_api"
PAGE_DIR = REPO_ROOT / "operators_page"


class OperatorsPage(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: IvrConfig, log_key: kms.IKey, table: dynamodb.ITable,
        table_key: kms.IKey, center: Center,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        settings = config.operators_page

        # --- Sign-in -----------------------------------------------------------------------------
        self.user_pool = cognito.UserPool(
            self, "Users",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(min_length=14, require_digits=True, require_lowercase=True, require_uppercase=True,
                                                   require_symbols=True, temp_password_validity=Duration.days(3)),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for finding in ("AwsSolutions-COG3", "AwsSolutions-COG8"):
            acknowledge(self.user_pool, finding, "Threat protection needs Cognito's Plus feature plan, priced per user; "
                        "sign-in is by invitation only, with MFA required.")
        for group, description in ((EDITORS, "may change holiday and emergency messages"), (VIEWERS, "may look at them")):
            cognito.CfnUserPoolGroup(self, f"{group.capitalize()}Group", user_pool_id=self.user_pool.user_pool_id, group_name=group,
                                     description=description)
        if settings.first_editor_email:
            first = cognito.CfnUserPoolUser(
                self, "FirstEditor", user_pool_id=self.user_pool.user_pool_id, username=settings.first_editor_email,
                desired_delivery_mediums=["EMAIL"],
                user_attributes=[cognito.CfnUserPoolUser.AttributeTypeProperty(name="email", value=settings.first_editor_email),
                                 cognito.CfnUserPoolUser.AttributeTypeProperty(name="email_verified", value="true")],
            )
            membership = cognito.CfnUserPoolUserToGroupAttachment(
                self, "FirstEditorIsEditor", user_pool_id=self.user_pool.user_pool_id, group_name=EDITORS, username=settings.first_editor_email,
            )
            membership.node.add_dependency(first, self.node.find_child("EditorsGroup"))
        domain = self.user_pool.add_domain("SignIn", cognito_domain=cognito.CognitoDomainOptions(
            domain_prefix=f"connect-ivr-{config.environment}-{config.connect_instance.account}"))
        sign_in_origin = f"https://{domain.domain_name}.auth.{stack.region}.amazoncognito.com"

        # --- The page ----------------------------------------------------------------------------
        bucket = s3.Bucket(
            self, "Files", block_public_access=s3.BlockPublicAccess.BLOCK_ALL, encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True, object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.DESTROY, auto_delete_objects=False,
        )
        acknowledge(bucket, "AwsSolutions-S1", "The bucket holds the page's few static files, written only by this stack's deployment; "
                    "CloudFront is its only reader.")
        # The API's origin is not known when the policy is written (the API allows the page's origin): any API of the region.
        api_origin = f"https://*.execute-api.{stack.region}.amazonaws.com"
        headers = cloudfront.ResponseHeadersPolicy(
            self, "SecurityHeaders",
            comment="Operators' page: CSP, HSTS, no framing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(f"{api_origin} {sign_in_origin}"), override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.seconds(HSTS_SECONDS), include_subdomains=True, override=True),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True),
            ),
        )
        self.distribution = cloudfront.Distribution(
            self, "Distribution",
            comment=f"Connect IVR ({config.environment}): operators' page",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            ),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            web_acl_id=settings.waf_web_acl_arn or None,
        )
        page_url = f"https://{self.distribution.distribution_domain_name}"
        acknowledge(self.distribution, "AwsSolutions-CFR1", "Supervisors may sign in from anywhere; the page is useless without an invitation.")
        acknowledge(self.distribution, "AwsSolutions-CFR3",
                    "CloudFront access logs would keep every supervisor's IP address (PII); the API's access log records route and status.")
        acknowledge(self.distribution, "AwsSolutions-CFR4",
                    "The page is served on CloudFront's own domain and certificate, whose security policy CloudFront fixes (a minimum "
                    "protocol needs a custom domain and certificate, which this app does not create).")
        if not settings.waf_web_acl_arn:
            acknowledge(self.distribution, "AwsSolutions-CFR2",
                        "WAF is optional (operators_page.waf_web_acl_arn): static files, and an API that answers only signed-in users.")

        self.client = self.user_pool.add_client(
            "Page",
            generate_secret=False,
            o_auth=cognito.OAuthSettings(flows=cognito.OAuthFlows(authorization_code_grant=True),
                                         scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
                                         callback_urls=[f"{page_url}/"], logout_urls=[f"{page_url}/"]),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            prevent_user_existence_errors=True,
            id_token_validity=Duration.hours(1), access_token_validity=Duration.hours(1), refresh_token_validity=Duration.hours(12),
        )

        # --- The API -----------------------------------------------------------------------------
        issuer = f"https://cognito-idp.{stack.region}.amazonaws.com/{self.user_pool.user_pool_id}"
        self.function = IvrFunction(
            self, "Api", folder=FOLDER, description="Operators' page API: holiday and emergency messages (issue 14)",
            config=config, log_key=log_key, invoked_by_connect=False, also_ships=("closure_check", "messages_editing"),
            environment={TABLE_ENV: table.table_name, CENTER_ENV: center.to_json(), ISSUER_ENV: issuer},
        )
        role = self.function.role
        role.add_to_policy(iam.PolicyStatement(  # reads, and the conditional writes of store.MessageStore (one transaction each)
            actions=["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"],
            resources=[table.table_arn]))
        role.add_to_policy(iam.PolicyStatement(
            actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources=[table_key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{stack.region}.amazonaws.com"}}))

        access_log = logs.LogGroup(self, "ApiAccessLog", retention=logs.RetentionDays.THREE_MONTHS, encryption_key=log_key,
                                   log_group_name=f"/connect-ivr/{config.environment}/messages_api-access",
                                   removal_policy=RemovalPolicy.DESTROY if config.environment == "dev" else RemovalPolicy.RETAIN)
        self.api = apigw.HttpApi(
            self, "Http", description="Operators' page API", create_default_stage=True,
            cors_preflight=apigw.CorsPreflightOptions(
                allow_origins=[page_url], allow_headers=["authorization", "content-type"], max_age=Duration.hours(1),
                allow_methods=[apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE]),
        )
        stage = self.api.default_stage.node.default_child  # type: ignore[union-attr]
        stage.access_log_settings = apigw.CfnStage.AccessLogSettingsProperty(  # type: ignore[union-attr]
            destination_arn=access_log.log_group_arn,
            format='{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status",'
                   '"latency":"$context.responseLatency","authorizerError":"$context.authorizer.error"}')
        stage.default_route_settings = apigw.CfnStage.RouteSettingsProperty(  # type: ignore[union-attr]
            throttling_rate_limit=settings.api_rate_per_second, throttling_burst_limit=settings.api_rate_per_second * 2)
        authorizer = authorizers.HttpJwtAuthorizer("Users", issuer, jwt_audience=[self.client.user_pool_client_id])
        integration = integrations.HttpLambdaIntegration("Messages", self.function.function)
        for route in ROUTES:
            method, path = route.split(" ", 1)
            self.api.add_routes(path=path, methods=[apigw.HttpMethod(method)], integration=integration, authorizer=authorizer)

        # --- Publishing --------------------------------------------------------------------------
        deployment = s3_deployment.BucketDeployment(
            self, "Publish", destination_bucket=bucket, distribution=self.distribution, distribution_paths=["/*"],
            sources=[
                s3_deployment.Source.asset(str(PAGE_DIR), exclude=["*", *(f"!{name}" for name in PAGE_FILES)]),
                s3_deployment.Source.json_data("config.json", {
                    "mode": "cognito", "api_url": self.api.api_endpoint, "sign_in_url": sign_in_origin,
                    "client_id": self.client.user_pool_client_id, "redirect_uri": f"{page_url}/",
                }),
            ],
        )
        bucket_id = stack.get_logical_id(cast(CfnElement, bucket.node.default_child))
        staged = f"arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-{stack.account}-{stack.region}/*"
        for finding in ("Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:DeleteObject*", "Action::s3:Abort*",
                        f"Resource::{staged}", f"Resource::<{bucket_id}.Arn>/*", "Resource::*"):
            acknowledge(deployment.handler_role, f"AwsSolutions-IAM5[{finding}]", "CDK's deployment function copies the page into this "
                        "bucket: it lists and writes its objects, reads this stack's staged asset and invalidates the distribution (*).")
        acknowledge(Stack.of(self), "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                    "CDK's deployment function (publishing the page) logs with the basic execution role.")

        CfnOutput(self, "OperatorsPageUrl", value=f"{page_url}/", description="The operators' page (sign in with an invited account)") \
            .override_logical_id("OperatorsPageUrl")
        CfnOutput(self, "OperatorsUserPoolId", value=self.user_pool.user_pool_id,
                  description="Invite supervisors here (groups: editors, viewers)").override_logical_id("OperatorsUserPoolId")
