"""What every function Connect invokes does around its own logic (DD-5, DD-7): one decorator.

    @contact_flow_handler(failed=lambda kind: flat_response("ERROR", error_kind=kind),
                          reads=Reads(parameters={"order_id": 64}),
                          invalid_input=lambda: flat_response("INVALID_INPUT", error_kind=""))
    def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
        ...

Lambda calls the decorated `lambda_handler(event, context)`. The decorator
- logs with the ContactId as correlation id and the Lambda context's fields
  (`logger.inject_lambda_context`; an event without a ContactId logs with none),
- parses the event into a `ContactEvent` and starts the invocation's `Deadline`; `reads` declares
  the parameters and attributes the function reads and the longest value of each it takes,
- counts the invocation, the result class and the latency, emits ColdStart on a container's first
  invocation and flushes the metrics (`metrics.log_metrics`),
- writes one "answered" log line,
- and never raises: Connect would retry while the caller waits. An event Connect cannot send is
  answered with `failed(INVALID_EVENT)`, a value in `reads` over its bound with `invalid_input()`
  (the function's answer to input it refuses; default `failed(INVALID_INPUT)`), anything
  unexpected with `failed(INTERNAL)`; `failed` gives the function's own answer for those (ERROR
  for a data dip, OPEN for the closure check).
"""
from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from lambdas.common.connect_event import NOTHING, ContactEvent, InvalidEvent, InvalidInput, Reads
from lambdas.common.deadline import DEFAULT_BUDGET_MS, Deadline, budget_from_env
from lambdas.common.observability import MetricName, logger, metrics, result_metric_name, service_name

INVALID_EVENT = "INVALID_EVENT"
INVALID_INPUT = "INVALID_INPUT"
INTERNAL = "INTERNAL"
CONTACT_ID_PATH = "Details.ContactData.ContactId"

Answer = Callable[[ContactEvent, Deadline, Any], dict[str, str]]
Handler = Callable[[Any, Any], dict[str, str]]


class _NoLambdaContext:
    """The fields Powertools reads from Lambda's context, for callers that pass none (tests, benchmarks).
    It has no remaining time: the deadline is then the configured budget."""

    function_name = service_name()
    memory_limit_in_mb = 0
    invoked_function_arn = ""
    aws_request_id = ""


def contact_flow_handler(
    *,
    failed: Callable[[str], dict[str, str]],
    reads: Reads = NOTHING,
    invalid_input: Callable[[], dict[str, str]] | None = None,
    logged: tuple[str, ...] = ("error_kind",),
    default_budget_ms: int = DEFAULT_BUDGET_MS,
) -> Callable[[Answer], Handler]:
    """`logged`: the answer's fields the "answered" line carries besides `result` and `elapsed_ms`;
    `default_budget_ms`: the deadline when DIP_BUDGET_MS is missing or broken."""

    def decorate(answer: Answer) -> Handler:
        @logger.inject_lambda_context(correlation_id_path=CONTACT_ID_PATH)
        @metrics.log_metrics(capture_cold_start_metric=True)
        def observed(event: Any, context: Any) -> dict[str, str]:
            started = time.perf_counter()
            deadline = Deadline.for_invocation(budget_from_env(default_budget_ms), context)
            metrics.add_metric(name=MetricName.INVOCATIONS, unit=MetricUnit.Count, value=1)
            try:
                try:
                    contact = ContactEvent.parse(event, reads)
                except InvalidEvent as problem:
                    logger.warning("not a usable Connect event", extra={"reason": str(problem)})
                    response = failed(INVALID_EVENT)
                except InvalidInput as problem:
                    logger.info("input refused", extra={"reason": str(problem)})
                    response = invalid_input() if invalid_input else failed(INVALID_INPUT)
                else:
                    response = answer(contact, deadline, context)
            except Exception:  # a bug must still give the caller an answer; the log line has the traceback
                logger.exception("failed unexpectedly")
                response = failed(INTERNAL)
            elapsed_ms = (time.perf_counter() - started) * 1000
            metrics.add_metric(name=result_metric_name(response["result"]), unit=MetricUnit.Count, value=1)
            metrics.add_metric(name=MetricName.LATENCY, unit=MetricUnit.Milliseconds, value=elapsed_ms)
            fields = {name: response[name] for name in logged if name in response}
            logger.info("answered", extra={"result": response["result"], **fields, "elapsed_ms": round(elapsed_ms, 1)})
            return response

        @functools.wraps(answer)
        def lambda_handler(event: Any, context: Any) -> dict[str, str]:
            try:
                return observed(event, _NoLambdaContext() if context is None else context)
            except Exception:  # Powertools' own code around `observed` failed: still an answer, never a retry
                logger.exception("failed unexpectedly outside the handler")
                return failed(INTERNAL)

        return lambda_handler

    return decorate
