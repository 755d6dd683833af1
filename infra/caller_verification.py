"""Caller verification (issue 17): the function the module verify_caller calls, its table and its HMAC key.

The table holds one-time codes per contact, lockouts per customer and rate-limit counters, all
under HMACs (never a code, a customer id or a number) and all expiring through TTL; the HMAC key is
a generated secret only this function reads. Both are encrypted with their own KMS key, usable by
this function through DynamoDB and Secrets Manager only. The codes go out through SMS deflection's
channel and sending identity (`allow_sending`); the customer record comes from the backend, with
the dips' API key.

With `verification.pin_certificate`, a customer no code can be texted to keys a PIN, which Connect
encrypts with the certificate's key: the stack registers that public key as the instance's security
key (`AWS::Connect::SecurityKey`, unless `pin_security_key_id` names one already registered) and
creates the secret the private key goes into, readable by this function alone. The stack never holds
the private key: the secret is created with a random placeholder, and the PIN path answers
UNAVAILABLE until you put the key (PEM) there.
"""
from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_connect as connect
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from configuration.model import IvrConfig
from configuration.runtime_values import caller_verification_environment
from infra.data_dips import grant_backend_key
from infra.keyed_table import keyed_table
from infra.lambda_function import IvrFunction
from infra.nag import acknowledge
from infra.sms_deflection import allow_sending

FOLDER = "caller_verification"


class CallerVerification(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig, log_key: kms.IKey,
                 backend_secret: secretsmanager.ISecret, backend_secret_id: str) -> None:
        super().__init__(scope, construct_id)
        retain = RemovalPolicy.DESTROY if config.environment == "dev" else RemovalPolicy.RETAIN
        store = keyed_table(
            self, retain=retain, secret_id="HmacKey",
            key_description="Connect IVR: caller verification codes, lockouts, rate limits and their HMAC key",
            secret_description="Connect IVR: secret key of the HMAC-SHA-256 under which the caller verification stores codes, "
                "customers and numbers",
            rotation_reason=(
                "A new key makes the codes being entered unusable and restarts lockouts and rate limits (containers keep "
                "the key they read until they end). It never leaves this function and Secrets Manager; replace it by hand "
                "(put-secret-value) if it is ever exposed."
            ),
        )
        self.table_key, self.table, self.hmac_key = store.key, store.table, store.hmac_key
        self.input_key: secretsmanager.Secret | None = None
        self.security_key_id = ""
        if config.verification.pin_certificate:
            self.input_key, self.security_key_id = self._encrypted_input(config, retain)
        self.function = IvrFunction(
            self,
            "Function",
            folder=FOLDER,
            description="Caller verification: a one-time code by text to the mobile number on file (issue 17)",
            config=config,
            log_key=log_key,
            environment=caller_verification_environment(
                config, table_name=self.table.table_name, key_secret_id=self.hmac_key.secret_arn,
                base_url=config.backend.base_url, secret_id=backend_secret_id,
                input_key_secret_id=self.input_key.secret_arn if self.input_key else "", security_key_id=self.security_key_id,
            ),
            reads_secrets=True,
            also_ships=("sms_deflection",),  # its SMS senders and rate limiter
        )
        role = self.function.role
        store.grant_read_write(role)
        if self.input_key is not None:
            self.input_key.grant_read(role)
        grant_backend_key(role, backend_secret, config)
        allow_sending(role, config)

    def _encrypted_input(self, config: IvrConfig, retain: RemovalPolicy) -> tuple[secretsmanager.Secret, str]:
        """The secret for the private key of Connect's encrypted input, and the security key's id."""
        secret = secretsmanager.Secret(
            self,
            "InputPrivateKey",
            description="Connect IVR: the private key (PEM) of the certificate Connect encrypts a keyed PIN with "
            "(verification.pin_certificate); put it here, the stack only holds a random placeholder",
            encryption_key=self.table_key,
            removal_policy=retain,
        )
        acknowledge(
            secret,
            "AwsSolutions-SMG4",
            "A private key matching a certificate in the flows cannot be rotated by a Lambda: a new key pair needs a new "
            "certificate in cdk.json and a deploy (Connect keeps two security keys active for the change).",
        )
        if config.verification.pin_security_key_id:
            return secret, config.verification.pin_security_key_id
        security_key = connect.CfnSecurityKey(self, "SecurityKey", instance_id=config.connect_instance.arn,
                                              key=public_key_of(config.verification.pin_certificate))
        return secret, security_key.attr_association_id


def public_key_of(certificate_pem: str) -> str:
    """The public key (PEM, SubjectPublicKeyInfo) of a certificate: what Connect's security key holds."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    public_key = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
