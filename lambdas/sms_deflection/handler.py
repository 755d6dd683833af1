"""SMS / app deflection (CX-10, DD-4): the flow calls this when a caller accepts "text us instead of waiting".

Answer: `result` SENT | NOT_MOBILE | NO_NUMBER | OPTED_OUT | RATE_LIMITED | ERROR, `channel`
SMS | PUSH | "", `error_kind` with ERROR. Idempotent per ContactId (Powertools Idempotency on the
function's DynamoDB table): Connect's retries and a caller pressing twice get the first answer
again, never a second message.
"""
from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from lambdas.common.connect_event import ContactEvent, InvalidEvent
from lambdas.common.deadline import Deadline
from lambdas.common.masking import mask_phone
from lambdas.common.observability import MetricName, logger, metrics, result_metric_name
from lambdas.common.phone import normalize_e164
from lambdas.common.responses import flat_response
from lambdas.sms_deflection import service
from lambdas.sms_deflection.deflection import ERROR, NO_NUMBER, Outcome


@metrics.log_metrics
def lambda_handler(event: Any, context: Any) -> dict[str, str]:
    started = time.monotonic()
    metrics.add_metric(name=MetricName.INVOCATIONS, unit=MetricUnit.Count, value=1)
    logger.set_correlation_id(None)
    try:
        outcome = _answer(event, context)
    except Exception:  # noqa: BLE001 - a bug must not make Connect retry while the caller waits
        logger.exception("deflection failed")
        outcome = Outcome(ERROR, error_kind="INTERNAL")
    metrics.add_metric(name=result_metric_name(outcome.result), unit=MetricUnit.Count, value=1)
    metrics.add_metric(name=MetricName.LATENCY, unit=MetricUnit.Milliseconds, value=(time.monotonic() - started) * 1000)
    logger.info("deflection answered", extra={"result": outcome.result, "channel": outcome.channel, "error_kind": outcome.error_kind})
    return flat_response(outcome.result, channel=outcome.channel, error_kind=outcome.error_kind)


def _answer(event: Any, context: Any) -> Outcome:
    try:
        contact = ContactEvent.parse(event)
    except InvalidEvent as problem:
        logger.warning("not a usable Connect event", extra={"problem": str(problem)})
        return Outcome(ERROR, error_kind="INVALID_EVENT")
    logger.set_correlation_id(contact.contact_id)
    number = normalize_e164(contact.customer_address)
    if number is None:
        return Outcome(NO_NUMBER)
    logger.info("deflecting", extra={"caller": mask_phone(number)})
    deflection = service.build()
    deadline = Deadline.for_invocation(deflection.settings.budget_ms, context)
    return deflection.deflect_once(contact.contact_id, number, deadline, context)

