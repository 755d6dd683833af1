"""caller_verification (issue 17): the flow module verify_caller calls it, one step at a time.

Parameters: `action` send_code | check_code | check_secret; `resend` "true" for the one resend;
`code` the keys the caller entered (check_code); `secret` the PIN or date of birth the caller keyed,
as Connect's encrypted input stores it (`$.StoredCustomerInput`, check_secret). Answer: `result`
SENT | WRONG_CODE | EXPIRED | CHOSE_AGENT (steps) or VERIFIED | FAILED | LOCKED | UNAVAILABLE
(final, also in `verification`), `reason` (for the agent), `mobile_last_digits` (what the caller
hears), `attempts_left`, `pin_on_file` ("true" when no code can be texted but a PIN can be asked
for), `error_kind`.

The code, the PIN, the caller's number and the mobile number are never logged nor answered; the code
is checked before anything else is read. The service (boto3) is imported by the first call that needs
it, aws_encryption_sdk by the first PIN.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lambdas.caller_verification.verification import SYSTEM_DOWN, UNAVAILABLE, Answer, Verifier
from lambdas.common.connect_event import ContactEvent, Reads
from lambdas.common.contact_flow_handler import contact_flow_handler
from lambdas.common.deadline import Deadline, budget_from_env
from lambdas.common.http import warm_up_if_provisioned
from lambdas.common.observability import logger
from lambdas.common.responses import flat_response

SEND_CODE = "send_code"
CHECK_CODE = "check_code"
CHECK_SECRET = "check_secret"
# An Encryption SDK message of a few digits under a 4096-bit RSA key is ~1.3 KB of base64 (with
# Connect's signing suite); 8 KB leaves room for any key size Connect accepts.
READS = Reads(parameters={"action": 16, "resend": 5, "code": 16, "secret": 8192})
DEFAULT_BUDGET_MS = 6000  # configuration.dips' default for this function

warm_up_if_provisioned()


def utc_now() -> datetime:
    """The clock of codes, lockouts and rate limits (the local simulator points it at its call's time)."""
    return datetime.now(UTC)


def _now_seconds() -> float:
    return utc_now().timestamp()


def container_verifier() -> Verifier:
    """This container's verifier (boto3 and the AWS clients: imported by the first call that needs them)."""
    from lambdas.caller_verification import service

    return service.build(budget_from_env(DEFAULT_BUDGET_MS), _now_seconds)


def _answer(answer: Answer) -> dict[str, str]:
    return flat_response(answer.result, **answer.fields())


def _failed(kind: str) -> dict[str, str]:
    return _answer(Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=kind))


@contact_flow_handler(failed=_failed, reads=READS, logged=("verification", "reason", "error_kind"), default_budget_ms=DEFAULT_BUDGET_MS)
def lambda_handler(contact: ContactEvent, deadline: Deadline, context: Any) -> dict[str, str]:
    action = contact.parameter("action")
    if action not in (SEND_CODE, CHECK_CODE, CHECK_SECRET):
        logger.warning("unknown action", extra={"action_length": len(action)})
        return _failed("INVALID_INPUT")
    verifier = container_verifier()
    if action == SEND_CODE:
        return _answer(verifier.send(contact.contact_id, contact.customer_address, deadline,
                                     resend=contact.parameter("resend") == "true", language=contact.language_code))
    if action == CHECK_SECRET:
        return _answer(verifier.check_secret(contact.customer_address, contact.parameter("secret"), deadline))
    return _answer(verifier.check(contact.contact_id, contact.parameter("code"), deadline))
