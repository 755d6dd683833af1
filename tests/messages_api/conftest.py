"""The operators' page API on a messages table on moto's server, called with the events API Gateway sends."""
from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from ivr.messages.local import create_messages_table
from ivr.messages.serve import http_event
from lambdas.messages_api.handler import respond
from lambdas.messages_api.routes import MessagesApi
from lambdas.messages_editing.center import Center
from lambdas.messages_editing.store import MessageStore

TABLE = "connect-ivr-test-messages"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
CENTER = Center.of("America/New_York", ["en-US", "es-US"], ["ivr-dev-billing", "ivr-dev-orders"], ["main", "after_hours"])


def claims(identity: str = "ann@example.com", groups: str = "[editors]") -> dict[str, Any]:
    return {"iss": ISSUER, "sub": "1111-2222", "email": identity, "cognito:groups": groups, "token_use": "id"}


class Client:
    """Sends requests to the API as API Gateway would, signed in as `identity` in `groups`."""

    def __init__(self, api: MessagesApi, identity: str = "ann@example.com", groups: str = "[editors]") -> None:
        self.api, self.claims = api, claims(identity, groups)

    def __call__(self, method: str, path: str, body: Any = None, **query: str) -> tuple[int, Any]:
        event = http_event(method, path, claims=self.claims, query={k: str(v) for k, v in query.items()},
                           body=None if body is None else json.dumps(body))
        answer = respond(self.api, event, issuer=ISSUER)
        return answer["statusCode"], json.loads(answer["body"])


@pytest.fixture
def store(moto_endpoint) -> MessageStore:
    client = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    create_messages_table(client, TABLE)
    return MessageStore(client, TABLE)


@pytest.fixture
def api(store) -> MessagesApi:
    return MessagesApi(store, CENTER)


@pytest.fixture
def editor(api) -> Client:
    return Client(api)


@pytest.fixture
def other_editor(api) -> Client:
    return Client(api, "bob@example.com")


@pytest.fixture
def viewer(api) -> Client:
    return Client(api, "vic@example.com", "[viewers]")


def storm(**changes: Any) -> dict[str, Any]:
    return {"id": "storm", "scope": "center", "kind": "EMERGENCY", "effect": "CLOSE", "start": "now", "end": "+2h",
            "text": {"en-US": "We are closed because of a storm."}, **changes}
