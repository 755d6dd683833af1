"""The customer's own HTTP services, through the shared backend client (deadline, retries, circuit breaker):
who the caller is (`GET /customers?phone=`) and the app push (a POST to the configured webhook).

The webhook is part of the customer's estate: it gets the same `x-api-key` as the backend and the
ContactId as `Idempotency-Key`, so it can drop a repeated request (the client retries a POST
that timed out).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from lambdas.common.circuit import CircuitBreaker
from lambdas.common.http import API_KEY, CIRCUIT_OPEN, HTTP_4XX, NOT_CONFIGURED, BackendClient, BackendError, backend_client
from lambdas.sms_deflection.enrollment import UNKNOWN, Enrollment, from_record
from lambdas.sms_deflection.senders import FAILED, SENT, Delivery

# Failures that prove the webhook never accepted the push: another channel may be tried.
_NOTHING_PUSHED = {NOT_CONFIGURED, CIRCUIT_OPEN, API_KEY, HTTP_4XX}


def _customer(status: int, data: Any) -> Any:
    if status == 200 and not isinstance(data, dict):
        raise ValueError("a customer must be a JSON object")
    return data


class BackendEnrollment:
    def __init__(self, client: BackendClient):
        self._client = client

    def lookup(self, number: str, deadline: Any) -> Enrollment:
        try:
            response = self._client.call(
                "GET", "/customers", deadline, operation="customer_by_phone", query={"phone": number}, answers=(404,), expect=_customer,
            )
        except BackendError as error:
            return Enrollment(error_kind=error.kind)
        return UNKNOWN if response.status == 404 else from_record(response.data)


class PushSender:
    """A push notification for a caller enrolled in the app, through the configured webhook."""

    channel = "PUSH"

    def __init__(self, client: BackendClient):
        self._client = client

    def send(self, number: str, body: str, *, contact_id: str, deadline: Any = None, customer_id: str = "") -> Delivery:
        payload = {"phone": number, "customerId": customer_id, "contactId": contact_id, "message": body, "reason": "IVR_DEFLECTION"}
        try:
            self._client.call("POST", "", deadline, operation="push_notification", body=payload, headers={"idempotency-key": contact_id}, answers=())
        except BackendError as error:
            return Delivery(FAILED, error.kind, ambiguous=error.kind not in _NOTHING_PUSHED)
        return Delivery(SENT)


def webhook_client(url: str) -> BackendClient:
    """A client for the webhook: the backend's API key and retry policy, its own circuit breaker."""
    backend = backend_client()
    settings = replace(backend.settings, base_url=url.rstrip("/"))
    return BackendClient(settings, api_key=backend.api_key, circuit=CircuitBreaker(settings.circuit_failure_threshold, settings.circuit_cool_down_seconds))
