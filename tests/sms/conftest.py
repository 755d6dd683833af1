"""Fixtures for the deflection dip: its table, its rate-limit key secret and SNS in moto's server mode, the function's environment."""
from __future__ import annotations

import boto3
import pytest

from tests.lambda_events import function_environment

TABLE = "sms-deflection-test"
ENROLLMENT_TABLE = "app-enrollment-test"
MESSAGE = "Thanks for choosing to text Acme. Reply with your question and an agent will answer within 15 minutes. Reply STOP to opt out."
MOTO_ACCOUNT = "123456789012"
RATE_LIMIT_KEY_SECRET = "sms-rate-limit-key-test"
RATE_LIMIT_KEY = "k" * 64


def create_rate_limit_key(endpoint: str, value: str = RATE_LIMIT_KEY, name: str = RATE_LIMIT_KEY_SECRET) -> str:
    """The secret with the rate limit's HMAC key; returns its ARN."""
    return boto3.client("secretsmanager", endpoint_url=endpoint).create_secret(Name=name, SecretString=value)["ARN"]


def create_table(endpoint: str, name: str = TABLE, key: str = "id") -> None:
    client = boto3.client("dynamodb", endpoint_url=endpoint)
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def sent_sms(number: str | None = None) -> list[tuple[str, str]]:
    """SMS that moto's SNS recorded as published: (number, text)."""
    from moto.backends import get_backend

    messages = list(get_backend("sns")[MOTO_ACCOUNT]["us-east-1"].sms_messages.values())
    return [m for m in messages if number is None or m[0] == number]


@pytest.fixture
def sms_env(moto_endpoint, monkeypatch):
    """The environment infra/sms_deflection.py gives the function, against moto; returns a setter for more."""
    from lambdas.sms_deflection import service

    create_table(moto_endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    values = {
        "RATE_LIMIT_KEY_SECRET_ARN": create_rate_limit_key(moto_endpoint),
        "POWERTOOLS_SERVICE_NAME": "sms_deflection",
        "SMS_DEFLECTION_TABLE_NAME": TABLE,
        # Generous: these tests are about what the function answers; on a loaded machine a cold client or
        # moto's first answer must not eat the push's or the lookup's share (seen: a refused push never
        # tried). The tests of the deadline under faults give their own small budget.
        "DIP_BUDGET_MS": "15000",
        "SMS_CHANNEL": "sns",
        "SMS_MESSAGE": MESSAGE,
        "ENROLLMENT_SOURCE": "none",
        "UNKNOWN_LINE_TYPE": "send",
        "RATE_LIMIT_MAX_MESSAGES": "3",
        "RATE_LIMIT_WINDOW_SECONDS": "86400",
    }
    return function_environment(monkeypatch, values, service.build)
