"""SMS / app deflection (CX-10, DD-4): the flow calls this when a caller accepts "text us instead of waiting".

No Parameters: the caller's number is the contact's CustomerEndpoint, normalized to E.164.
Answer: `result` SENT | NOT_MOBILE | NO_NUMBER | OPTED_OUT | RATE_LIMITED | ERROR, `channel`
SMS | PUSH | "", `error_kind` with ERROR. Idempotent per ContactId (see service.py): Connect's
retries and a caller pressing twice get the first answer again, never a second message.

The service (boto3, Powertools Idempotency: most of this function's import cost) is imported by
the first call that has a number to text, not with the handler.
"""
from __future__ import annotations

from typing import Any

from lambdas.common.connect_event import ContactEvent
from lambdas.common.contact_flow_handler import contact_flow_handler
from lambdas.common.deadline import Deadline
from lambdas.common.masking import mask_phone
from lambdas.common.observability import logger
from lambdas.common.phone import normalize_e164
from lambdas.common.responses import flat_response
from lambdas.sms_deflection.deflection import ERROR, NO_NUMBER


def _failed(kind: str) -> dict[str, str]:
    return flat_response(ERROR, channel="", error_kind=kind)


@contact_flow_handler(failed=_failed, logged=("channel", "error_kind"))
def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
    number = normalize_e164(contact.customer_address)
    if number is None:
        logger.info("no usable caller number", extra={"withheld": not contact.customer_address})
        return flat_response(NO_NUMBER, channel="", error_kind="")
    from lambdas.sms_deflection import service

    outcome = service.build().deflect_once(contact.contact_id, number, deadline, context)
    logger.info("deflection", extra={"caller": mask_phone(number)})  # its result and channel are in the "answered" line
    return flat_response(outcome.result, channel=outcome.channel, error_kind=outcome.error_kind)
