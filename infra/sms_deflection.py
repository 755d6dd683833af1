"""SMS / app deflection (CX-10, DD-4): the function the flows call when a caller chooses a text over waiting.

It owns a small DynamoDB table (idempotency records per ContactId and per-number rate-limit
counters, both expiring through TTL) and the secret key of the HMAC that stands for the number in
a rate-limit record (generated; only this function may read it), both encrypted with its own KMS
key, and may send only what the configuration allows: End User Messaging SMS from the configured
origination identity, or SNS SMS to phone numbers (not to topics).
"""
from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from configuration.model import IvrConfig
from configuration.runtime_values import sms_deflection_environment, sms_deflection_uses_backend
from infra.data_dips import grant_backend_key
from infra.keyed_table import keyed_table
from infra.lambda_function import IvrFunction
from infra.nag import acknowledge

FOLDER = "sms_deflection"


class SmsDeflection(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: IvrConfig,
        log_key: kms.IKey,
        backend_secret: secretsmanager.ISecret | None = None,
        backend_secret_id: str = "",
    ) -> None:
        """`backend_secret` / `backend_secret_id`: the dips' API key secret, read when deflection asks
        the backend about the caller or pushes through the webhook."""
        super().__init__(scope, construct_id)
        sms = config.sms
        retain = RemovalPolicy.DESTROY if config.environment == "dev" else RemovalPolicy.RETAIN
        store = keyed_table(
            self, retain=retain, secret_id="RateLimitKey",
            key_description="Connect IVR: SMS deflection idempotency records, rate limits and their HMAC key",
            secret_description="Connect IVR: secret key of the HMAC-SHA-256 that identifies a phone number in the SMS rate-limit records",
            rotation_reason=(
                "A new key gives every number a new rate-limit record, so rotating restarts the counts of the current window "
                "(and containers keep the key they read until they end). It never leaves this function and Secrets Manager; "
                "replace it by hand (put-secret-value) if it is ever exposed."
            ),
        )
        self.table_key, self.table, self.rate_limit_key = store.key, store.table, store.hmac_key
        uses_backend = sms_deflection_uses_backend(config) and backend_secret is not None
        environment = sms_deflection_environment(
            config, table_name=self.table.table_name, rate_limit_key_secret_id=self.rate_limit_key.secret_arn,
            base_url=config.backend.base_url,
            secret_id=(backend_secret_id or backend_secret.secret_arn) if uses_backend and backend_secret else "",
        )
        self.function = IvrFunction(
            self,
            "Function",
            folder=FOLDER,
            description="SMS / app deflection: texts or pushes the caller once per contact (CX-10, DD-4)",
            config=config,
            log_key=log_key,
            environment=environment,
        )
        role = self.function.role
        store.grant_read_write(role)
        allow_sending(role, config)
        if sms.enrollment_source == "table":
            role.add_to_policy(iam.PolicyStatement(
                actions=["dynamodb:GetItem"],
                resources=[Stack.of(self).format_arn(service="dynamodb", resource="table", resource_name=sms.enrollment_table_name)],
            ))
        if uses_backend and backend_secret:
            grant_backend_key(role, backend_secret, config)


def allow_sending(role: iam.Role, config: IvrConfig) -> None:
    """What a function texting callers may send (SMS deflection, the caller verification's codes): End User
    Messaging from the configured origination identity, or SNS SMS to phone numbers, never to a topic."""
    sms, stack = config.sms, Stack.of(role)
    if sms.channel == "end_user_messaging":
        resources = [sms.origination_identity]
        if sms.configuration_set:
            resources.append(stack.format_arn(service="sms-voice", resource="configuration-set", resource_name=sms.configuration_set))
        role.add_to_policy(iam.PolicyStatement(actions=["sms-voice:SendTextMessage"], resources=resources))
        return
    # SNS has no ARN for a phone number: publishing an SMS and the opt-out check need Resource "*".
    # The deny keeps that "*" to phone numbers: this role cannot publish to any topic.
    role.add_to_policy(iam.PolicyStatement(actions=["sns:Publish", "sns:CheckIfPhoneNumberIsOptedOut"], resources=["*"]))
    role.add_to_policy(iam.PolicyStatement(
        effect=iam.Effect.DENY, actions=["sns:Publish"], resources=[f"arn:{stack.partition}:sns:*:*:*"],
    ))
    acknowledge(
        role,
        "AwsSolutions-IAM5[Resource::*]",
        "SNS SMS to a phone number has no resource ARN, so sns:Publish and sns:CheckIfPhoneNumberIsOptedOut need "
        "Resource '*'; an explicit Deny on every topic ARN limits sns:Publish to phone numbers.",
    )
