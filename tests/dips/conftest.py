"""Fixtures of the data-dip tests: the fake backend, the API key in moto's Secrets Manager, events."""
from __future__ import annotations

import time

import pytest

from lambdas.common import dip_environment as env

API_KEY = "local-test-key"  # what tests/conftest.py's fake_backend expects
BUDGET_MS = 700


class LambdaContext:
    """The part of Lambda's context a dip reads: the time it has left."""

    def __init__(self, remaining_ms: int = 30_000):
        self._ends = time.monotonic() + remaining_ms / 1000
        self.aws_request_id = "test-request"

    def get_remaining_time_in_millis(self) -> int:
        return int((self._ends - time.monotonic()) * 1000)


def connect_event(parameters: dict | None = None, *, contact_id: str = "c0ffee00-1111-2222-3333-444455556666",
                  channel: str = "VOICE", address: str | None = "+14155550123", attributes: dict | None = None) -> dict:
    contact = {
        "ContactId": contact_id,
        "Channel": channel,
        "InitiationMethod": "INBOUND",
        "InstanceARN": "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555",
        "Attributes": attributes or {},
    }
    if address is not None:
        contact["CustomerEndpoint"] = {"Address": address, "Type": "TELEPHONE_NUMBER"}
    return {"Name": "ContactFlowEvent", "Details": {"ContactData": contact, "Parameters": parameters or {}}}


@pytest.fixture(autouse=True)
def _fresh_container(monkeypatch):
    """Each test starts like a new container (tests/conftest.py resets the cached backend client)
    with no backend configured (dip_env configures one)."""
    for name in (env.BACKEND_BASE_URL, env.BACKEND_API_KEY_SECRET_ARN, env.DIP_BUDGET_MS):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def backend_secret_arn(moto_endpoint, monkeypatch) -> str:
    """The API key stored in moto's Secrets Manager; the dips reach moto through AWS_ENDPOINT_URL."""
    import boto3

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    client = boto3.client("secretsmanager", endpoint_url=moto_endpoint)
    return client.create_secret(Name="connect-ivr/backend-api-key", SecretString=API_KEY)["ARN"]


@pytest.fixture
def dip_env(fake_backend, backend_secret_arn, monkeypatch):
    """Environment of a dip against the fake backend, small budget; a fresh per-container client."""
    monkeypatch.setenv(env.BACKEND_BASE_URL, fake_backend.url)
    monkeypatch.setenv(env.BACKEND_API_KEY_SECRET_ARN, backend_secret_arn)
    monkeypatch.setenv(env.DIP_BUDGET_MS, str(BUDGET_MS))
    monkeypatch.setenv(env.CIRCUIT_FAILURE_THRESHOLD, "5")
    monkeypatch.setenv(env.CIRCUIT_COOL_DOWN_SECONDS, "1")
    return fake_backend
