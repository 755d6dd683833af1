"""Fixtures shared by every test area.

- AWS credentials are fake for the whole session: no test can reach a real account.
- `synthesized_app`: the CDK app synthesized ONCE per session (jsii start-up costs seconds);
  `template` / `template_json` read that one synthesis. cdk-nag runs in that synthesis, so a
  finding that is not acknowledged fails every infrastructure test with the finding's id.
- `moto_endpoint`: a real HTTP endpoint (moto's server mode), reset before each test.
- `fake_backend`: the fake customer backend (fake_backend/) on loopback, reset before each test.
"""
from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

for _name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(_name, None)
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_REGION="us-east-1",
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
    POWERTOOLS_METRICS_NAMESPACE="ConnectIVR",
)


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
