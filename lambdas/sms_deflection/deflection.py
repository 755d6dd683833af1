"""Deciding how to reach a caller who chose not to wait, and reaching them once (CX-10, DD-4).

Plain logic: no Connect event, no environment. The handler makes the result idempotent per
contact; this module makes sure one attempt sends at most one message:

- enrolled in the app and a push webhook configured -> push; when the push provably did not go
  out, fall back to SMS;
- a landline (or an unknown line type under policy `refuse`) -> NOT_MOBILE;
- otherwise SMS, after taking a rate-limit slot for the number.

A send whose failure is *ambiguous* (the request may have reached the service) is never repeated.
A throttled send, or one that could not connect, is retried once (full-jitter backoff) when time
allows; a failure that proves nothing was sent frees the rate-limit slot and is answered with
`final=False`, so the idempotency record is dropped and a later press may try again.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from lambdas.common.deadline import Deadline
from lambdas.sms_deflection.enrollment import LANDLINE, MOBILE, UNKNOWN, Enrollment
from lambdas.sms_deflection.rate_limit import StoreError
from lambdas.sms_deflection.senders import OPTED_OUT, Delivery

SENT = "SENT"
NOT_MOBILE = "NOT_MOBILE"
NO_NUMBER = "NO_NUMBER"
RATE_LIMITED = "RATE_LIMITED"
ERROR = "ERROR"

# Time planning inside the budget: the SMS send may take up to `sms_seconds` (its client's connect +
# read timeouts), so it starts only with that much left; the enrollment lookup gets what remains
# after reserving the send and TABLE_RESERVE_SECONDS for the idempotency record, and is skipped
# below MIN_LOOKUP_SECONDS. The push goes through the deadline-bounded backend client.
TABLE_RESERVE_SECONDS = 0.5
MIN_LOOKUP_SECONDS = 0.2
MIN_SECONDS_TO_PUSH = 0.3
RETRYABLE = ("THROTTLED", "CONNECTION")
BACKOFF_BASE_SECONDS = 0.1


@dataclass(frozen=True)
class Outcome:
    result: str
    channel: str = ""  # SMS | PUSH | ""
    error_kind: str = ""
    final: bool = True  # False: nothing was sent and a later attempt for this contact may try again

    def answer(self) -> dict[str, str]:
        return {"result": self.result, "channel": self.channel, "error_kind": self.error_kind}


class Sender(Protocol):
    channel: str

    def send(self, number: str, body: str, *, contact_id: str, deadline: Any = None, customer_id: str = "") -> Delivery: ...


class Deflector:
    def __init__(
        self,
        *,
        message: str,
        sms: Sender,
        rate_limiter: Any,
        lookup: Callable[[str, Any], Enrollment] | None = None,
        push: Sender | None = None,
        unknown_line_type: str = "send",
        sms_seconds: float = 2.0,
        on_delivery: Callable[[str, Delivery], None] = lambda channel, delivery: None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._message = message
        self._sms = sms
        self._push = push
        self._lookup = lookup
        self._rate_limiter = rate_limiter
        self._refuse_unknown = unknown_line_type == "refuse"
        self._sms_seconds = sms_seconds
        self._on_delivery = on_delivery
        self._sleep = sleep

    def deflect(self, number: str, contact_id: str, deadline: Any) -> Outcome:
        enrollment = self._enrollment(number, deadline)
        if enrollment.app_enrolled and self._push is not None:
            outcome = self._send(self._push, number, contact_id, deadline, enrollment.customer_id)
            if outcome.result != ERROR or outcome.final:
                return outcome
        if enrollment.line_type == LANDLINE or (enrollment.line_type != MOBILE and self._refuse_unknown):
            return Outcome(NOT_MOBILE)
        return self._send(self._sms, number, contact_id, deadline)

    def _enrollment(self, number: str, deadline: Any) -> Enrollment:
        seconds = min(deadline.remaining() / 2, deadline.remaining() - self._sms_seconds - TABLE_RESERVE_SECONDS)
        if self._lookup is None or seconds < MIN_LOOKUP_SECONDS:
            return UNKNOWN
        return self._lookup(number, Deadline(seconds))

    def _send(self, sender: Sender, number: str, contact_id: str, deadline: Any, customer_id: str = "") -> Outcome:
        needed = MIN_SECONDS_TO_PUSH if sender is self._push else self._sms_seconds
        if deadline.remaining() < needed:
            return Outcome(ERROR, error_kind="NO_TIME", final=False)
        try:
            # The HMAC key's first read may wait, but not into the time the send needs.
            if not self._rate_limiter.acquire(number, contact_id, Deadline(deadline.remaining() - needed)):
                return Outcome(RATE_LIMITED)
        except StoreError:
            return Outcome(ERROR, error_kind="STORE", final=False)
        for attempt in range(2):
            delivery = sender.send(number, self._message, contact_id=contact_id, deadline=deadline, customer_id=customer_id)
            self._on_delivery(sender.channel, delivery)
            if delivery.sent:
                return Outcome(SENT, sender.channel)
            if delivery.ambiguous:
                return Outcome(ERROR, error_kind=delivery.error_kind)  # maybe sent: never again
            pause = random.uniform(0, BACKOFF_BASE_SECONDS * 2**attempt)  # full jitter
            if delivery.error_kind not in RETRYABLE or attempt or deadline.remaining() < pause + needed:
                break
            self._sleep(pause)
        self._rate_limiter.release(number, contact_id, deadline)
        if delivery.status == OPTED_OUT:
            return Outcome(OPTED_OUT)
        return Outcome(ERROR, error_kind=delivery.error_kind, final=False)
