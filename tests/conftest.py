"""Fixtures shared by every test area.

- AWS credentials are fake for the whole session: no test can reach a real account.
- `synthesized_app`: the CDK app synthesized ONCE per session (jsii start-up costs seconds);
  `template` / `template_json` read that one synthesis. cdk-nag runs in that synthesis, so a
  finding that is not acknowledged fails every infrastructure test with the finding's id.
- `moto_endpoint`: a real HTTP endpoint (moto's server mode), reset before each test.
- `fake_backend`: the fake customer backend (fake_backend/) on loopback, reset before each test.
- Every test starts and ends with fresh Lambda containers: the per-container caches of the
  handlers (backend client, SMS service, closure-check cache) are reset around each test.
- Hypothesis has no per-example deadline (profile "ivr"): a loaded CI machine is not a failure.
"""
from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

import pytest
from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parent.parent

for _name in [*("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"),
              *(n for n in os.environ if n.startswith("AWS_ENDPOINT_URL_"))]:
    os.environ.pop(_name, None)
os.environ.update(
    AWS_CONFIG_FILE=os.devnull,  # no profile, endpoint or region from the developer's ~/.aws
    AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
    POWERTOOLS_METRICS_NAMESPACE="ConnectIVR",
)

# Hypothesis's default 200 ms per-example deadline is a timing assert in disguise.
settings.register_profile("ivr", deadline=None)
settings.load_profile("ivr")

# Per-container state of the Lambda code (what survives between invocations in AWS), by module:
# a module that is not imported yet holds no state.
_CONTAINER_RESETS = (
    ("lambdas.common.http", lambda module: module.reset_backend_client()),
    ("lambdas.sms_deflection.service", lambda module: getattr(module.build, "cache_clear", lambda: None)()),
    ("lambdas.caller_verification.service", lambda module: getattr(module.build, "cache_clear", lambda: None)()),
    ("lambdas.closure_check.messages_table", lambda module: module.reset_cache()),
)


def _reset_lambda_containers() -> None:
    for name, reset in _CONTAINER_RESETS:
        module = sys.modules.get(name)
        if module is not None:
            reset(module)


@pytest.fixture(autouse=True)
def _fresh_lambda_containers():
    """Each test runs in fresh containers and leaves none behind (cached clients hold endpoints,
    budgets and circuit state read from the environment of the test that built them)."""
    _reset_lambda_containers()
    yield
    _reset_lambda_containers()


@pytest.fixture(scope="session")
def cdk_context() -> dict:
    """The context of cdk.json, as a deployment would have it."""
    return json.loads((REPO_ROOT / "cdk.json").read_text())["context"]


@pytest.fixture(scope="session")
def synthesized_app(tmp_path_factory):
    """(cloud assembly, stack) from one synthesis of app.py's app into a temporary cdk.out."""
    from app import build_app

    outdir = tmp_path_factory.mktemp("cdk.out")
    app, stack = build_app(outdir=str(outdir))
    assembly = app.synth()
    return assembly, stack


@pytest.fixture(scope="session")
def template_json(synthesized_app) -> dict:
    assembly, stack = synthesized_app
    return assembly.get_stack_by_name(stack.stack_name).template


@pytest.fixture(scope="session")
def template(template_json):
    from aws_cdk.assertions import Template

    return Template.from_json(template_json)


@pytest.fixture(scope="session")
def assembly_dir(synthesized_app) -> Path:
    assembly, _ = synthesized_app
    return Path(assembly.directory)


@pytest.fixture(scope="session")
def _moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def moto_endpoint(_moto_server) -> str:
    """URL of a real DynamoDB/SNS/... endpoint on loopback, empty at the start of each test."""
    request = urllib.request.Request(f"{_moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=5).close()
    return _moto_server


@pytest.fixture(scope="session")
def _fake_backend_server():
    from fake_backend.server import FakeBackend

    with FakeBackend(api_key="local-test-key") as backend:
        yield backend


@pytest.fixture
def fake_backend(_fake_backend_server):
    """The fake customer backend (fake_backend.server.FakeBackend) on loopback, API key
    "local-test-key": no fault, no recorded requests and no interactions at the start of each test."""
    _fake_backend_server.reset()
    yield _fake_backend_server
    _fake_backend_server.reset()
