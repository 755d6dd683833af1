"""The API's own check of the caller (behind API Gateway's JWT authorizer): signed in, right issuer, right group."""
from __future__ import annotations

import json

import pytest

from ivr.messages.serve import http_event
from lambdas.messages_api.access import groups_of
from lambdas.messages_api.handler import respond
from lambdas.messages_api.routes import ROUTES
from tests.messages_api.conftest import ISSUER, claims, storm


def call(api, method, path, token_claims, body=None, issuer=ISSUER):
    event = http_event(method, path, claims=token_claims, body=None if body is None else json.dumps(body))
    answer = respond(api, event, issuer=issuer)
    return answer["statusCode"], json.loads(answer["body"])


def concrete(route: str) -> tuple[str, str]:
    method, path = route.split(" ", 1)
    return method, path.replace("{id}", "storm")


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_refuses_a_request_without_claims_or_of_another_issuer(api, route):
    method, path = concrete(route)
    assert call(api, method, path, None)[0] == 401
    assert call(api, method, path, {**claims(), "iss": "https://evil.example.com"})[0] == 401
    assert call(api, method, path, claims(), issuer="")[0] == 401  # no issuer configured: nobody gets in


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_needs_a_group_and_changes_need_editors(api, route):
    method, path = concrete(route)
    assert call(api, method, path, claims(groups="[]"))[0] == 403
    status, _ = call(api, method, path, claims("vic@example.com", "[viewers]"), body={"expected_version": 1})
    assert (status == 403) == ROUTES[route]


def test_a_viewer_reads_and_is_told_why_not_to_write(api):
    assert call(api, "GET", "/api/messages", claims("vic@example.com", "viewers"))[0] == 200
    status, refused = call(api, "POST", "/api/messages", claims("vic@example.com", "viewers"), body=storm())
    assert status == 403 and "only editors" in refused["reason"]
    assert api.store.messages() == []


def test_the_groups_claim_as_api_gateway_passes_it():
    assert groups_of("[editors viewers]") == {"editors", "viewers"} == groups_of(["editors", "viewers"])
    assert groups_of("editors") == {"editors"} and groups_of(None) == frozenset() and groups_of("[]") == frozenset()


def test_a_body_that_is_not_json_is_400(api):
    event = http_event("POST", "/api/messages", claims=claims(), body="{not json")
    answer = respond(api, event, issuer=ISSUER)
    assert answer["statusCode"] == 400 and json.loads(answer["body"])["field"] == "body"


def test_the_log_names_route_and_status_never_the_caller(api, caplog):
    caplog.set_level("INFO")
    call(api, "POST", "/api/messages", claims("ann@example.com"), body=storm(text={"en-US": "Secret storm text"}))
    (record,) = [r for r in caplog.records if r.getMessage() == "request"]
    assert (record.route, record.status) == ("POST /api/messages", 200)
    logged = " ".join(str(value) for value in vars(record).values())
    assert "ann@example.com" not in logged and "Secret storm" not in logged
