"""interaction_log (DD-3): what the caller did in the IVR, written to the CRM's timeline.

The flow invokes it ASYNCHRONOUS (off the caller's path). Parameters: `event` (e.g. ORDER_STATUS,
required), `order_id`, `outcome`. Answer: `result` LOGGED | DUPLICATE | INVALID_INPUT | ERROR.

Idempotent per contact and event: the backend's `Idempotency-Key` is `<ContactId>:<event>`, so a
retry (ours after a timeout that may have written, or Connect's) never writes a second timeline
item; the backend answers 200 + `Idempotent-Replayed` instead of 201 and we report DUPLICATE.
Its budget (`dips.interaction_log.budget_ms`) is longer than a caller-facing dip's: more retries fit.
"""
from __future__ import annotations

import re
from typing import Any

from lambdas.common.connect_event import ContactEvent, Reads
from lambdas.common.contact_flow_handler import contact_flow_handler
from lambdas.common.deadline import Deadline
from lambdas.common.http import BackendError, backend_client, warm_up_if_provisioned
from lambdas.common.observability import logger
from lambdas.common.order_id import normalize_order_id
from lambdas.common.phone import normalize_e164
from lambdas.common.responses import flat_response

_EVENT = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
_OUTCOME = re.compile(r"[A-Z0-9_]{0,64}")
# What the flows pass is far shorter; a longer value is refused (INVALID_INPUT) before any parsing.
READS = Reads(parameters={"event": 1024, "outcome": 1024, "order_id": 1024})

warm_up_if_provisioned()


def _failed(kind: str) -> dict[str, str]:
    return flat_response("ERROR", error_kind=kind)


def _invalid_input() -> dict[str, str]:
    return flat_response("INVALID_INPUT", error_kind="")


@contact_flow_handler(failed=_failed, reads=READS, invalid_input=_invalid_input)
def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
    name = contact.parameter("event").strip().upper()
    outcome = contact.parameter("outcome").strip().upper()
    if not _EVENT.fullmatch(name) or not _OUTCOME.fullmatch(outcome):
        logger.info("interaction refused", extra={"event_valid": bool(_EVENT.fullmatch(name))})
        return _invalid_input()
    item = {
        "contactId": contact.contact_id,
        "event": name,
        "outcome": outcome,
        "orderId": normalize_order_id(contact.parameter("order_id")) or "",
        "callerNumber": normalize_e164(contact.customer_address) or "",
    }
    try:
        response = backend_client().call(
            "POST", "/interactions", deadline, operation="log_interaction", body=item, answers=(),
            headers={"Idempotency-Key": f"{contact.contact_id}:{name}"},
        )
    except BackendError as error:
        logger.warning("interaction not logged", extra={"event": name, "error_kind": error.kind})
        return _failed(error.kind)
    return flat_response("DUPLICATE" if response.status == 200 else "LOGGED", error_kind="")
