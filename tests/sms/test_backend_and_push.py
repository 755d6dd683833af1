"""Enrollment from the customer backend (the fake backend on loopback) and the app push through a
webhook (a local HTTP server), with the API key in Secrets Manager (moto) and the real idempotency table."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest

from lambdas.common.deadline import Deadline
from lambdas.common.http import backend_client, reset_backend_client
from lambdas.sms_deflection.handler import lambda_handler
from tests.dips.conftest import KEY_READ_BUDGET_MS
from tests.lambda_events import LambdaContext, connect_event
from tests.sms.conftest import MESSAGE, sent_sms

MOBILE, LANDLINE, ENROLLED, NOBODY = "+14155550123", "+12125550187", "+13125550144", "+14155550100"


class Webhook:
    """A push webhook on loopback that records each POST and answers `status`."""

    def __init__(self):
        self.status, self.received = 202, []
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                webhook.received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": json.loads(body)})
                self.send_response(webhook.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/push"


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


@pytest.fixture
def backend_env(sms_env, fake_backend, moto_endpoint, webhook):
    secret = boto3.client("secretsmanager", endpoint_url=moto_endpoint).create_secret(Name="backend-key", SecretString=fake_backend.api_key)
    def warm_container(**more: str) -> None:
        """Set more of the environment, in a new container that has read its key already (as after its
        first invocation): the budget then times enrollment and sending, not botocore building a client
        and moto's first answer (seconds on a loaded machine)."""
        sms_env(**more)
        reset_backend_client()
        backend_client().api_key.get(Deadline(KEY_READ_BUDGET_MS / 1000))

    warm_container(ENROLLMENT_SOURCE="backend", BACKEND_BASE_URL=fake_backend.url, BACKEND_API_KEY_SECRET_ARN=secret["ARN"],
                   PUSH_WEBHOOK_URL=webhook.url)
    return warm_container


def call(number: str, contact_id: str = "contact-1") -> dict:
    return lambda_handler(connect_event(contact_id=contact_id, address=number), LambdaContext())


def test_a_landline_known_to_the_backend_gets_not_mobile(backend_env, fake_backend):
    assert call(LANDLINE) == {"result": "NOT_MOBILE", "channel": "", "error_kind": ""}
    assert sent_sms() == []
    lookup = fake_backend.requests[-1]
    assert (lookup.path, lookup.query, lookup.headers["x-api-key"]) == ("/customers", {"phone": LANDLINE}, fake_backend.api_key)


def test_a_mobile_caller_not_in_the_app_gets_an_sms(backend_env, webhook):
    assert call(MOBILE) == {"result": "SENT", "channel": "SMS", "error_kind": ""}
    assert sent_sms() == [(MOBILE, MESSAGE)] and webhook.received == []


def test_an_enrolled_caller_gets_one_push_however_often_the_contact_invokes(backend_env, webhook):
    answers = [call(ENROLLED, "contact-app") for _ in range(3)]
    assert answers == [{"result": "SENT", "channel": "PUSH", "error_kind": ""}] * 3
    assert len(webhook.received) == 1 and sent_sms() == []
    push = webhook.received[0]
    assert push["headers"]["idempotency-key"] == "contact-app"
    assert push["body"] == {"phone": ENROLLED, "customerId": "C-100502", "contactId": "contact-app", "message": MESSAGE, "reason": "IVR_DEFLECTION"}


def test_a_push_the_webhook_refuses_falls_back_to_sms(backend_env, webhook):
    webhook.status = 400
    assert call(ENROLLED) == {"result": "SENT", "channel": "SMS", "error_kind": ""}
    assert len(webhook.received) == 1 and sent_sms() == [(ENROLLED, MESSAGE)]


def test_a_push_that_may_have_been_delivered_is_not_followed_by_an_sms(backend_env, webhook):
    backend_env(BACKEND_MAX_ATTEMPTS="3")
    webhook.status = 503  # retried by the backend client, then given up: the push may be out
    assert call(ENROLLED) == {"result": "ERROR", "channel": "", "error_kind": "HTTP_5XX"}
    assert sent_sms() == [] and len(webhook.received) == 3  # every attempt the client is allowed, then no SMS


def test_an_unknown_caller_follows_the_unknown_line_type_policy(backend_env):
    assert call(NOBODY, "c1")["result"] == "SENT"
    backend_env(UNKNOWN_LINE_TYPE="refuse")
    assert call(NOBODY, "c2")["result"] == "NOT_MOBILE"


def test_a_hung_backend_still_lets_the_sms_go_out_within_the_budget(backend_env, fake_backend):
    backend_env(DIP_BUDGET_MS="2000")
    fake_backend.set_fault("hang", path_prefix="/customers")
    started = time.monotonic()
    answer = call(MOBILE)
    elapsed = time.monotonic() - started
    assert answer == {"result": "SENT", "channel": "SMS", "error_kind": ""}
    assert elapsed < 2.0 + 1.5  # the budget, with a generous margin (the hang never ends)


def test_without_a_backend_configured_the_lookup_is_skipped_and_the_sms_goes_out(sms_env, monkeypatch):
    for name in ("BACKEND_BASE_URL", "BACKEND_API_KEY_SECRET_ARN"):
        monkeypatch.delenv(name, raising=False)
    sms_env(ENROLLMENT_SOURCE="backend")
    assert call(MOBILE) == {"result": "SENT", "channel": "SMS", "error_kind": ""}
