"""What every data dip does around its own logic (DD-5, DD-7).

`run_dip` parses the Connect event, starts the deadline, sets the ContactId as the logs'
correlation id, counts the invocation, the result class and the latency, and turns anything
unexpected into an ERROR answer: a dip never raises (Connect would retry while the caller waits).
"""
from __future__ import annotations

import time
from typing import Any, Callable

from aws_lambda_powertools.metrics import MetricUnit

from lambdas.common.connect_event import ContactEvent, InvalidEvent
from lambdas.common.deadline import Deadline, budget_from_env
from lambdas.common.observability import MetricName, logger, metrics, result_metric_name
from lambdas.common.responses import flat_response

INVALID_EVENT = "INVALID_EVENT"
INTERNAL = "INTERNAL"

Answer = Callable[[ContactEvent, Deadline], dict[str, str]]


def run_dip(event: Any, context: Any, answer: Answer, *, on_invalid_event: Callable[[InvalidEvent], dict[str, str]] | None = None) -> dict[str, str]:
    started = time.perf_counter()
    deadline = Deadline.for_invocation(budget_from_env(), context)
    logger.set_correlation_id(None)
    metrics.add_metric(name=MetricName.INVOCATIONS, unit=MetricUnit.Count, value=1)
    try:
        try:
            contact = ContactEvent.parse(event)
        except InvalidEvent as problem:
            logger.warning("not a usable Connect event", extra={"reason": str(problem)})
            response = on_invalid_event(problem) if on_invalid_event else flat_response("ERROR", error_kind=INVALID_EVENT, timeout=False)
        else:
            logger.set_correlation_id(contact.contact_id)
            response = answer(contact, deadline)
    except Exception:  # a bug must still give the caller an answer; the log line has the traceback
        logger.exception("dip failed unexpectedly")
        response = flat_response("ERROR", error_kind=INTERNAL, timeout=False)
    elapsed_ms = (time.perf_counter() - started) * 1000
    metrics.add_metric(name=result_metric_name(response["result"]), unit=MetricUnit.Count, value=1)
    metrics.add_metric(name=MetricName.LATENCY, unit=MetricUnit.Milliseconds, value=elapsed_ms)
    logger.info("dip answered", extra={"result": response["result"], "error_kind": response.get("error_kind", ""), "elapsed_ms": round(elapsed_ms, 1)})
    metrics.flush_metrics()
    return response
