"""Fixtures of the data-dip tests: the fake backend and the API key in moto's Secrets Manager."""
from __future__ import annotations

import pytest

from lambdas.common import dip_environment as env
from lambdas.common.deadline import Deadline
from lambdas.common.http import backend_client

API_KEY = "local-test-key"  # what tests/conftest.py's fake_backend expects
BUDGET_MS = 700
# For a read of the key by a fresh client (botocore's service model, a new connection to moto):
# generous, as the read is not what the test times.
KEY_READ_BUDGET_MS = 30_000


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
def cold_dip_env(fake_backend, backend_secret_arn, monkeypatch):
    """Environment of a dip against the fake backend, small budget, in a container that has not read
    its API key yet: for tests of the key read itself (give the read a budget of its own there, see
    KEY_READ_BUDGET_MS: how fast moto answers a fresh client is no behaviour of the dip)."""
    monkeypatch.setenv(env.BACKEND_BASE_URL, fake_backend.url)
    monkeypatch.setenv(env.BACKEND_API_KEY_SECRET_ARN, backend_secret_arn)
    monkeypatch.setenv(env.DIP_BUDGET_MS, str(BUDGET_MS))
    monkeypatch.setenv(env.CIRCUIT_FAILURE_THRESHOLD, "5")
    monkeypatch.setenv(env.CIRCUIT_COOL_DOWN_SECONDS, "1")
    return fake_backend


@pytest.fixture
def dip_env(cold_dip_env):
    """`cold_dip_env` in a warm container: the API key was read once already, as after the
    container's first invocation. A test's deadline then times what the dip does with the backend
    (the subject of these tests), not botocore building a client and moto's first answer, which
    on a loaded machine alone take longer than BUDGET_MS. The client is this container's: set
    the backend's environment (other than DIP_BUDGET_MS, read per invocation) before this fixture."""
    backend_client().api_key.get(Deadline(KEY_READ_BUDGET_MS / 1000))
    return cold_dip_env
