"""Fixtures of the data-dip tests: the fake backend and the API key in moto's Secrets Manager."""
from __future__ import annotations

import pytest

from lambdas.common import dip_environment as env

API_KEY = "local-test-key"  # what tests/conftest.py's fake_backend expects
BUDGET_MS = 700


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
