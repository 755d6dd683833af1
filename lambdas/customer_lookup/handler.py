"""customer_lookup (DD-2, CX-11): who is calling, from the number they call from.

No Parameters: the caller's number is the contact's CustomerEndpoint, normalized to E.164.
Answer: `result` FOUND | UNKNOWN | ERROR, `customer_id`, `first_name`, `timeout`, `error_kind`.
A withheld or malformed number, or a contact that is not a phone call (chat, task), is UNKNOWN
without any network call.
"""
from __future__ import annotations

from typing import Any

from lambdas.common.connect_event import ContactEvent
from lambdas.common.contact_flow_handler import contact_flow_handler
from lambdas.common.deadline import Deadline
from lambdas.common.http import BackendError, backend_client, warm_up_if_provisioned
from lambdas.common.masking import mask_phone
from lambdas.common.observability import logger
from lambdas.common.phone import normalize_e164
from lambdas.common.responses import flat_response

MAX_NAME_CHARS = 40

warm_up_if_provisioned()


def _failed(kind: str, *, timeout: bool = False) -> dict[str, str]:
    return flat_response("ERROR", customer_id="", first_name="", timeout=timeout, error_kind=kind)


@contact_flow_handler(failed=_failed)
def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
    number = normalize_e164(contact.customer_address) if contact.channel == "VOICE" else None
    if number is None:
        logger.info("caller number unusable", extra={"channel": contact.channel, "withheld": not contact.customer_address})
        return _unknown()
    try:
        response = backend_client().call(
            "GET", "/customers", deadline, operation="get_customer", query={"phone": number}, expect=check_customer
        )
    except BackendError as error:
        logger.warning("customer lookup failed", extra={"caller": mask_phone(number), "error_kind": error.kind})
        return _failed(error.kind, timeout=error.timeout)
    if response.data is None:
        return _unknown()
    customer = response.data
    return flat_response("FOUND", customer_id=customer["customerId"], first_name=_speakable_name(customer.get("firstName")), timeout=False, error_kind="")


def check_customer(status_code: int, data: Any) -> dict | None:
    if status_code == 404:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("customerId"), str) or not data["customerId"]:
        raise ValueError("customer body without customerId")
    return data


def _speakable_name(value: Any) -> str:
    """A first name the flow can put in a greeting: letters, spaces, apostrophes and dashes only."""
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value if c.isalpha() or c in " '-")[:MAX_NAME_CHARS].strip()


def _unknown() -> dict[str, str]:
    return flat_response("UNKNOWN", customer_id="", first_name="", timeout=False, error_kind="")
