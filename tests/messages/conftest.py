"""A messages table on moto's server (real HTTP), created with the deployed key schema."""
from __future__ import annotations

import boto3
import pytest

from ivr.messages.local import create_messages_table

TABLE = "connect-ivr-test-messages"


@pytest.fixture
def dynamodb(moto_endpoint, monkeypatch):
    """A DynamoDB client on moto; AWS_ENDPOINT_URL points every boto3/botocore client of the test there."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    return boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def table(dynamodb, monkeypatch) -> str:
    create_messages_table(dynamodb, TABLE)
    monkeypatch.setenv("IVR_MESSAGES_TABLE", TABLE)
    monkeypatch.setenv("IVR_OPERATOR", "alice@example.com")
    return TABLE
