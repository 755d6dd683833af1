"""Context object `dips`: each data dip's time budget and capacity (DD-5), every key optional.

`dips.<name>` lists only what differs from DEFAULT_DIPS and the defaults of DipConfig; a name
that is not one of the functions stops synth.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator

from configuration.settings import Section, invalid, read_object, whole

# A dip answers within its budget; Connect and Lambda need a little more to deliver the answer.
DELIVERY_MARGIN_MS = 500
MAX_INVOCATION_TIME_LIMIT_SECONDS = 8  # Connect's maximum for a synchronous Lambda call

DEFAULT_DIPS: Mapping[str, Mapping[str, int]] = {
    "order_status": {"budget_ms": 3000},
    "customer_lookup": {"budget_ms": 2000},
    "interaction_log": {"budget_ms": 5000, "backend_max_attempts": 5},  # off the caller's path: more retries fit
    "closure_check": {"budget_ms": 1500},
    "sms_deflection": {"budget_ms": 4000},
    # A customer lookup, then a text; a cold container also imports boto3 and reads two secrets first.
    "caller_verification": {"budget_ms": 6000},
    "messages_api": {"budget_ms": 5000},  # the operators' page API: a supervisor waits for a page, not a caller for a prompt
}


class DipConfig(Section):
    """One data dip's time budget and capacity.

    The budget is the deadline the handler keeps (connect, read, retries). The flow's
    InvocationTimeLimitSeconds and the Lambda timeout both derive from it, so they cannot disagree.
    """

    budget_ms: Annotated[int, whole(200, MAX_INVOCATION_TIME_LIMIT_SECONDS * 1000 - DELIVERY_MARGIN_MS)]
    memory_mb: Annotated[int, whole(128, 10240)] = 256
    reserved_concurrency: Annotated[int | None, whole(1, 10000)] = None
    provisioned_concurrency: Annotated[int, whole(0, 10000)] = 0
    # Dips calling the customer backend (env names in lambdas.common.dip_environment): attempts per
    # call (retries included), consecutive failed calls that open the circuit, its cool-down.
    backend_max_attempts: Annotated[int, whole(1, 10)] = 3
    circuit_failure_threshold: Annotated[int, whole(1, 1000)] = 5
    circuit_cool_down_seconds: Annotated[int, whole(1, 3600)] = 10

    @property
    def invocation_time_limit_seconds(self) -> int:
        return math.ceil((self.budget_ms + DELIVERY_MARGIN_MS) / 1000)

    @property
    def lambda_timeout_seconds(self) -> int:
        return self.invocation_time_limit_seconds


def _every_dip_over_its_defaults(value: Any) -> dict[str, dict[str, Any]]:
    given = read_object(value)
    for name in sorted(given):
        if name not in DEFAULT_DIPS:
            raise invalid(f"is not a known function: expected one of {sorted(DEFAULT_DIPS)}", key=name)
    return {
        name: {**DEFAULT_DIPS[name], **({} if given.get(name) is None else read_object(given[name], key=name))}
        for name in sorted(DEFAULT_DIPS)
    }


# Every dip, by function name, whether `dips` names it or not.
Dips = Annotated[Mapping[str, DipConfig], BeforeValidator(_every_dip_over_its_defaults)]
