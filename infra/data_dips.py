"""The data dips (DD-1..7): order_status, customer_lookup and interaction_log, and the backend API key.

Each function is an IvrFunction with its own role that may read the backend API key secret and
nothing else (plus its own log group). By default the secret is created here, named
`backend_api_key_secret_name`, with a generated placeholder value the operator replaces with the
real key (`aws secretsmanager put-secret-value`); the dips read it at run time and cache it for
API_KEY_CACHE_TTL_SECONDS, so a new value is live within that time without a deploy. It is
encrypted with its own customer-managed key, which only these roles (and SMS deflection's, when
it calls the backend) may use, through Secrets Manager only. With `backend_api_key_secret_exists`
the dips read an existing secret of that name instead (and decrypt with `backend_api_key_kms_key_arn`
when it has a customer-managed key).

Each function's environment comes from configuration.runtime_values, shared with the local simulator.
"""
from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from configuration.model import IvrConfig
from configuration.runtime_values import backend_environment
from infra.lambda_function import IvrFunction
from infra.nag import acknowledge

DIPS = {
    "order_status": "Order status for the caller's 8-digit order number (DD-1)",
    "customer_lookup": "Identifies the caller by the number they call from (DD-2)",
    "interaction_log": "Writes the caller's IVR steps to the CRM timeline, idempotent per contact (DD-3)",
}


class DataDips(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig, log_key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.backend_secret = self._backend_secret(config)
        # An existing secret's full ARN ends in a random suffix we do not know: its name identifies it.
        self.backend_secret_id = (
            config.backend.api_key_secret_name if config.backend.api_key_secret_exists else self.backend_secret.secret_arn
        )
        self.functions: dict[str, IvrFunction] = {}
        for name, description in DIPS.items():
            function = IvrFunction(
                self,
                _construct_id(name),
                folder=name,
                description=description,
                config=config,
                log_key=log_key,
                environment=backend_environment(
                    config, name, base_url=config.backend.base_url, secret_id=self.backend_secret_id
                ),
                invoked_by_connect=True,
                reads_secrets=True,
            )
            grant_backend_key(function.role, self.backend_secret, config)
            self.functions[name] = function

    def _backend_secret(self, config: IvrConfig) -> secretsmanager.ISecret:
        backend = config.backend
        if backend.api_key_secret_exists:
            # IAM matches the 6 random characters Secrets Manager appends to the name.
            return secretsmanager.Secret.from_secret_name_v2(self, "BackendApiKey", backend.api_key_secret_name)
        retain = RemovalPolicy.DESTROY if config.environment == "dev" else RemovalPolicy.RETAIN
        self.secret_key = kms.Key(
            self, "BackendSecretKey", description="Connect IVR: the customer backend's API key",
            enable_key_rotation=True, removal_policy=retain,
        )
        secret = secretsmanager.Secret(
            self,
            "BackendApiKey",
            secret_name=backend.api_key_secret_name,
            description="API key of the customer backend (header x-api-key). Generated placeholder: "
            "replace it with the real key (aws secretsmanager put-secret-value).",
            encryption_key=self.secret_key,
            generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=40),
            removal_policy=retain,
        )
        acknowledge(
            secret,
            "AwsSolutions-SMG4",
            "The key is issued by the customer's backend, not by AWS: its owner rotates it there and puts the new "
            "value here; the dips re-read it within API_KEY_CACHE_TTL_SECONDS. A rotation Lambda cannot create keys in that system.",
        )
        return secret


def grant_backend_key(role: iam.Role, secret: secretsmanager.ISecret, config: IvrConfig) -> None:
    """Let a function read the backend's API key: the secret, and an existing secret's own KMS key
    (`backend.api_key_kms_key_arn`) through Secrets Manager only."""
    secret.grant_read(role)
    if config.backend.api_key_secret_exists and config.backend.api_key_kms_key_arn:
        role.add_to_policy(iam.PolicyStatement(
            actions=["kms:Decrypt"],
            resources=[config.backend.api_key_kms_key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"secretsmanager.{Stack.of(role).region}.amazonaws.com"}},
        ))


def _construct_id(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))
