"""The written contract (fake_backend/openapi.yaml) is valid OpenAPI 3 and the fake backend
answers exactly what it says, so a dip coded against the fake works against the contract."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import urllib3
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "fake_backend" / "openapi.yaml").read_text())
KEY = {"x-api-key": "local-test-key"}


def conforms(payload, schema_name: str) -> None:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]}
    OAS30Validator(schema).validate(payload)


@pytest.fixture
def http():
    with urllib3.PoolManager(retries=False, timeout=5) as pool:
        yield pool


def test_contract_is_valid_openapi_3():
    validate(SPEC)
    assert set(SPEC["paths"]) == {"/orders/{orderId}", "/customers", "/customers/{customerId}/verification", "/interactions"}
    assert SPEC["components"]["securitySchemes"]["apiKey"] == {"type": "apiKey", "in": "header", "name": "x-api-key"}


def test_every_seed_order_and_customer_conforms(http, fake_backend):
    for order_id in fake_backend.orders:
        conforms(http.request("GET", f"{fake_backend.url}/orders/{order_id}", headers=KEY).json(), "Order")
    for phone in fake_backend.customers:
        response = http.request("GET", f"{fake_backend.url}/customers", fields={"phone": phone}, headers=KEY)
        conforms(response.json(), "Customer")


def test_interactions_and_errors_conform(http, fake_backend):
    body = json.dumps({"contactId": "c-1", "event": "ORDER_STATUS", "orderId": "12345678", "outcome": "FOUND"})
    created = http.request("POST", f"{fake_backend.url}/interactions", body=body, headers={**KEY, "Idempotency-Key": "c-1"})
    conforms(created.json(), "Interaction")
    for path, headers in [("/orders/99999999", KEY), ("/orders/12", KEY), ("/orders/12345678", {})]:
        conforms(http.request("GET", fake_backend.url + path, headers=headers).json(), "Error")


def test_verification_answers_only_whether_the_pin_or_date_of_birth_matched(http, fake_backend):
    def verify(customer_id: str, payload: dict):
        return http.request("POST", f"{fake_backend.url}/customers/{customer_id}/verification", body=json.dumps(payload), headers=KEY)

    for payload, verified in [({"pin": "1357"}, True), ({"pin": "1358"}, False),
                              ({"dateOfBirth": "1984-03-09"}, True), ({"dateOfBirth": "1984-03-10"}, False)]:
        conforms(payload, "VerificationRequest")
        answer = verify("C-101010", payload)
        assert (answer.status, answer.json()) == (200, {"verified": verified}), payload
        conforms(answer.json(), "VerificationResult")
    assert verify("C-100234", {"pin": "1357"}).json() == {"verified": False}  # no PIN on file
    for customer_id, payload, status in [("C-999999", {"pin": "1357"}, 404), ("C-101010", {"pin": "12"}, 400),
                                         ("C-101010", {"pin": "1357", "dateOfBirth": "1984-03-09"}, 400)]:
        answer = verify(customer_id, payload)
        assert answer.status == status
        conforms(answer.json(), "Error")
        assert "1357" not in answer.data.decode()
    customers = [http.request("GET", f"{fake_backend.url}/customers", fields={"phone": phone}, headers=KEY).data.decode()
                 for phone in fake_backend.customers]
    assert not any("1357" in body or "1984-03-09" in body for body in customers)  # never served with the customer


def test_contract_documents_every_status_the_fake_answers():
    answered = {
        "/orders/{orderId}": {"200", "400", "401", "404", "429", "500", "503"},
        "/customers": {"200", "400", "401", "404", "429", "500", "503"},
        "/customers/{customerId}/verification": {"200", "400", "401", "404", "429", "500", "503"},
        "/interactions": {"200", "201", "400", "401", "429", "500", "503"},
    }
    for path, statuses in answered.items():
        (operation,) = SPEC["paths"][path].values()
        assert set(operation["responses"]) == statuses, path
