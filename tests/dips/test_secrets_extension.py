"""SEC-2 and the cold path: the API key through the Parameters and Secrets extension when the
function has it, botocore (moto here) when not or when the extension fails, inside the dip's deadline.

The extension is played by a real HTTP server on loopback that answers as the extension does:
GET /secretsmanager/get?secretId=... with the X-Aws-Parameters-Secrets-Token header.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lambdas.common import secrets
from lambdas.common.deadline import Deadline
from lambdas.order_status.handler import lambda_handler as order_status
from tests.conftest import REPO_ROOT
from tests.dips.conftest import API_KEY
from tests.lambda_events import LambdaContext, connect_event

SESSION_TOKEN = "session-token-of-this-container"
EXTENSION_VALUE = "key-from-the-extension"  # unlike moto's API_KEY: tells which path answered


class FakeExtension:
    """The extension's local endpoint. `value`: the SecretString served; `hang`: hold every request
    until released (a stuck extension); `requests`: (secretId, token) of each request."""

    def __init__(self, value: str = EXTENSION_VALUE) -> None:
        self.value = value
        self.hang = threading.Event()
        self.release = threading.Event()
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                secret_id = urllib.parse.parse_qs(url.query).get("secretId", [""])[0]
                token = self.headers.get(secrets.EXTENSION_TOKEN_HEADER, "")
                fake.requests.append((secret_id, token))
                if fake.hang.is_set():
                    fake.release.wait(10)
                    return
                if url.path != "/secretsmanager/get" or token != SESSION_TOKEN:
                    self.send_error(400 if token == SESSION_TOKEN else 403)
                    return
                body = json.dumps({"Name": secret_id, "SecretString": fake.value}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def extension(monkeypatch) -> Iterator[FakeExtension]:
    """A running fake extension, and the environment a function with the extension layer has."""
    fake = FakeExtension()
    monkeypatch.setenv(secrets.EXTENSION_PORT_ENV, str(fake.port))
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    yield fake
    fake.close()


def test_with_the_extension_the_key_comes_from_it_with_the_session_token(extension, backend_secret_arn):
    assert secrets.secret_fetch(backend_secret_arn)() == EXTENSION_VALUE
    assert extension.requests == [(backend_secret_arn, SESSION_TOKEN)]


def test_without_the_extension_the_key_comes_from_secrets_manager(backend_secret_arn, monkeypatch):
    monkeypatch.delenv(secrets.EXTENSION_PORT_ENV, raising=False)
    assert secrets.secret_fetch(backend_secret_arn)() == API_KEY


def test_an_extension_that_is_not_running_falls_back_to_secrets_manager(extension, backend_secret_arn):
    extension.close()  # its port is closed now
    assert secrets.secret_fetch(backend_secret_arn)() == API_KEY


def test_an_extension_that_refuses_the_token_falls_back_to_secrets_manager(extension, backend_secret_arn, monkeypatch):
    monkeypatch.setenv("AWS_SESSION_TOKEN", "another-token")
    assert secrets.secret_fetch(backend_secret_arn)() == API_KEY
    assert extension.requests == [(backend_secret_arn, "another-token")]


def test_a_dip_answers_from_the_key_the_extension_serves(extension, cold_dip_env):
    extension.value = API_KEY  # what the fake backend accepts
    answer = order_status(connect_event({"order_id": "12345678"}), LambdaContext())
    assert answer["result"] == "FOUND"
    assert len(extension.requests) == 1


def test_a_hung_extension_costs_the_dip_its_deadline_not_more(extension, cold_dip_env):
    """The extension holds the request; the dip's wait for the key is bounded by its deadline
    (700 ms budget) and its own socket timeout (1 s) lies beyond that deadline, so the first answer
    is API_KEY, not a key read through the fallback. The fallback then fills the cache."""
    assert secrets.EXTENSION_TIMEOUT_SECONDS * 1000 > 700
    extension.hang.set()
    started = time.monotonic()
    answer = order_status(connect_event({"order_id": "12345678"}), LambdaContext())
    elapsed = time.monotonic() - started
    assert answer["result"] == "ERROR" and answer["error_kind"] == "API_KEY"
    assert elapsed < 5  # generous: the bound above is what the code enforces
    from lambdas.common.http import backend_client

    assert backend_client().api_key.get(Deadline(30)) == API_KEY  # moto's key, read after the extension timed out


def test_the_extension_timeout_bounds_one_read_of_a_hung_extension(extension):
    extension.hang.set()
    fetch = secrets.extension_fetch("some-secret", extension.port)
    started = time.monotonic()
    with pytest.raises(OSError):  # socket.timeout
        fetch()
    assert time.monotonic() - started < secrets.EXTENSION_TIMEOUT_SECONDS + 4  # generous on a loaded machine


def test_a_cold_dip_with_the_extension_answers_without_importing_botocore(extension, cold_dip_env):
    """What the extension is for: a fresh container's first answer loads no AWS SDK."""
    extension.value = API_KEY
    code = ("import sys, json; from lambdas.order_status.handler import lambda_handler; "
            "answer = lambda_handler({'Details': {'Parameters': {'order_id': '12345678'}, "
            "'ContactData': {'ContactId': 'c', 'Channel': 'VOICE'}}}, None); "
            "print(json.dumps([answer['result'], 'botocore.session' in sys.modules, 'botocore.client' in sys.modules]))")
    env = {**os.environ, "DIP_BUDGET_MS": "5000", "POWERTOOLS_LOG_LEVEL": "ERROR"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    assert json.loads(result.stdout.splitlines()[-1]) == ["FOUND", False, False]
