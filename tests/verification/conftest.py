"""Fixtures of the caller verification dip: its table and HMAC key in moto, SNS in moto, the fake backend."""
from __future__ import annotations

import re

import boto3
import pytest

from ivr.simulator.encrypted_input import encrypt_as_connect, local_key_pair
from lambdas.common import dip_environment as env
from tests.lambda_events import function_environment
from tests.sms.conftest import create_table, sent_sms

TABLE = "caller-verification-test"
KEY_SECRET = "caller-verification-key-test"
CODE = re.compile(r"\b(\d{6})\b")


def keyed_encrypted(digits: str) -> str:
    """What Connect stores for `digits` keyed into a block encrypting with the local test key."""
    keys = local_key_pair()
    return encrypt_as_connect(digits, keys.certificate_pem, keys.key_id)


def codes_sent(number: str) -> list[str]:
    """The 6-digit codes moto's SNS recorded as texted to `number`, oldest first."""
    return [match.group(1) for _, text in sent_sms(number) if (match := CODE.search(text))]


@pytest.fixture
def verification_env(moto_endpoint, fake_backend, monkeypatch):
    """The environment infra gives the function, against moto and the fake backend."""
    import lambdas.caller_verification.service as service

    create_table(moto_endpoint, TABLE)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    secrets = boto3.client("secretsmanager", endpoint_url=moto_endpoint)
    values = {
        "POWERTOOLS_SERVICE_NAME": "caller_verification",
        "VERIFICATION_TABLE_NAME": TABLE,
        "VERIFICATION_KEY_SECRET_ARN": secrets.create_secret(Name=KEY_SECRET, SecretString="h" * 64)["ARN"],
        "VERIFICATION_INPUT_KEY_SECRET_ARN": secrets.create_secret(
            Name="caller-verification-input-key-test", SecretString=local_key_pair().private_key_pem)["ARN"],
        "VERIFICATION_SECURITY_KEY_ID": local_key_pair().key_id,
        "VERIFICATION_BRAND_NAME": "Acme",
        "SMS_CHANNEL": "sns",
        # Generous: these tests are about what the dip answers; a cold secret read on a loaded machine must not
        # eat the lookup's share. The deadline under faults has its own small budget (test_verification_faults.py).
        env.DIP_BUDGET_MS: "15000",
        env.BACKEND_BASE_URL: fake_backend.url,
        env.BACKEND_API_KEY_SECRET_ARN: secrets.create_secret(Name="connect-ivr/backend-api-key", SecretString="local-test-key")["ARN"],
    }
    return function_environment(monkeypatch, values, service.build)
