"""order_status (DD-1): the status of the caller's order, spoken by the flow.

Parameters: `order_id` (the caller's raw input). Answer: `result` FOUND | NOT_FOUND | INVALID_INPUT
| ERROR, `timeout`, `error_kind`, `order_id` (normalized), `order_id_ssml`, `status`, `summary` (in the
contact's LanguageCode).
Input is checked before any network call; the backend call keeps the dip's deadline.
"""
from __future__ import annotations

import urllib.parse
from typing import Any

from lambdas.common.connect_event import ContactEvent, Reads
from lambdas.common.contact_flow_handler import contact_flow_handler
from lambdas.common.deadline import Deadline
from lambdas.common.http import BackendError, backend_client, warm_up_if_provisioned
from lambdas.common.masking import mask_id
from lambdas.common.observability import logger
from lambdas.common.order_id import LONGEST_PLAUSIBLE_INPUT, normalize_order_id, order_id_ssml
from lambdas.common.responses import flat_response
from lambdas.order_status.summary import check_order, not_found, summarize

PARAMETER = "order_id"
READS = Reads(parameters={PARAMETER: LONGEST_PLAUSIBLE_INPUT})

warm_up_if_provisioned()


def _failed(kind: str) -> dict[str, str]:
    return flat_response("ERROR", timeout=False, error_kind=kind, order_id="", order_id_ssml="", status="", summary="")


def _invalid_input() -> dict[str, str]:
    return flat_response("INVALID_INPUT", timeout=False, error_kind="", order_id="", order_id_ssml="", status="", summary="")


@contact_flow_handler(failed=_failed, reads=READS, invalid_input=_invalid_input)
def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
    order_id = normalize_order_id(contact.parameter(PARAMETER))
    if order_id is None:
        logger.info("order id refused", extra={"input_length": len(contact.parameter(PARAMETER))})
        return _invalid_input()
    spoken = {"order_id": order_id, "order_id_ssml": order_id_ssml(order_id)}
    try:
        response = backend_client().call(
            "GET", f"/orders/{urllib.parse.quote(order_id)}", deadline, operation="get_order", expect=check_order
        )
    except BackendError as error:
        logger.warning("order lookup failed", extra={"order_id": mask_id(order_id), "error_kind": error.kind})
        return flat_response("ERROR", timeout=error.timeout, error_kind=error.kind, status="", summary="", **spoken)
    order = response.data
    if order is None:
        return flat_response("NOT_FOUND", timeout=False, error_kind="", status="", summary=not_found(contact.language_code), **spoken)
    return flat_response("FOUND", timeout=False, error_kind="", status=order["status"], summary=summarize(order, contact.language_code), **spoken)
