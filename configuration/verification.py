"""Context object `verification`: verifying the caller before account-level service (issue 17), every key optional."""
from __future__ import annotations

import re
from typing import Annotated

from configuration.settings import Section, listed, whole

# What a flow can require verification for: the menu choices whose flows invoke the module verify_caller.
VERIFIABLE = ("billing",)
_VERIFIABLE = re.compile("|".join(VERIFIABLE)).fullmatch


class VerificationConfig(Section):
    """`required_for`: the menu choices that verify the caller first (`billing`; `[]` for none). The
    caller gets a 6-digit code by text on the mobile number on file, valid `code_valid_minutes`, at
    most `max_attempts` entries per code and one resend. After `lockout_after_failures` wrong codes
    (across calls, each within `lockout_minutes` of the previous) the customer is locked out for
    `lockout_minutes`. At most `codes_per_customer` and `codes_per_calling_number` calls get codes
    per `codes_window_minutes`. The text names `sms_deflection.brand_name` and goes out through
    SMS deflection's `channel` and `origination_identity`."""

    required_for: Annotated[tuple[str, ...], listed(f"menu choices among {list(VERIFIABLE)}", _VERIFIABLE)] = VERIFIABLE
    code_valid_minutes: Annotated[int, whole(1, 30)] = 5
    max_attempts: Annotated[int, whole(1, 10)] = 3
    lockout_after_failures: Annotated[int, whole(1, 100)] = 5
    lockout_minutes: Annotated[int, whole(1, 10080)] = 30
    codes_per_customer: Annotated[int, whole(1, 100)] = 3
    codes_per_calling_number: Annotated[int, whole(1, 100)] = 3
    codes_window_minutes: Annotated[int, whole(1, 10080)] = 60
