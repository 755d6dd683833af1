"""The operators' page API (issue 14) behind API Gateway (HTTP API, payload 2.0, JWT authorizer on every route).

It checks the caller's claims itself (`access`), turns the event into a `routes.Request` and the
answer into JSON. `ivr messages serve` calls `respond` with events it builds the same way, so the
page meets the same code locally. The log says which route answered what and how fast, never who
called or what a message says (no PII, no message texts).
"""
from __future__ import annotations

import base64
import json
import os
import time
from typing import Any

from lambdas.closure_check.environment import TABLE_ENV
from lambdas.common.observability import logger
from lambdas.messages_api.access import NotSignedIn, caller_of
from lambdas.messages_api.routes import MessagesApi, Request, Response
from lambdas.messages_editing.center import CENTER_ENV, Center
from lambdas.messages_editing.store import MessageStore

_api: MessagesApi | None = None


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _api
    if _api is None:
        _api = MessagesApi(MessageStore(_dynamodb_client(), os.environ[TABLE_ENV]), Center.from_json(os.environ[CENTER_ENV]))
    return respond(_api, event)


def respond(api: MessagesApi, event: dict[str, Any], issuer: str | None = None) -> dict[str, Any]:
    """The HTTP answer to one payload-2.0 event; `issuer` overrides ISSUER_ENV (the local stand-in)."""
    started = time.monotonic()
    route = str(event.get("routeKey", ""))
    try:
        request = Request(route=route, caller=caller_of(event, issuer), path=event.get("pathParameters") or {},
                          query=event.get("queryStringParameters") or {}, body=_body(event))
        response = api.handle(request)
    except NotSignedIn as problem:
        response = Response(401, {"error": "not_signed_in", "reason": str(problem)})
    except ValueError:
        response = Response(400, {"error": "bad_input", "field": "body", "reason": "the body is not JSON"})
    logger.info("request", extra={"route": route, "status": response.status, "ms": round((time.monotonic() - started) * 1000)})
    return {
        "statusCode": response.status,
        "headers": {"content-type": "application/json", "cache-control": "no-store"},
        "body": json.dumps(response.body, ensure_ascii=False),
    }


def _body(event: dict[str, Any]) -> Any:
    raw = event.get("body")
    if not raw:
        return None
    text = base64.b64decode(raw).decode("utf-8") if event.get("isBase64Encoded") else raw
    return json.loads(text)


def _dynamodb_client() -> Any:
    """A client that gives up within seconds (a supervisor is waiting at the page), one retry."""
    import botocore.session
    from botocore.config import Config

    config = Config(connect_timeout=2, read_timeout=4, retries={"total_max_attempts": 2, "mode": "standard"})
    return botocore.session.get_session().create_client("dynamodb", config=config)
