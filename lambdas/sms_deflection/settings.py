"""What infra/sms_deflection.py tells the function through its environment, read once per container.

The message is rendered at synth from the configuration's template (brand, reply time, opt-out
word), so the function sends exactly the text that `cdk synth` validated.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.deadline import BUDGET_ENV, DEFAULT_BUDGET_MS

END_USER_MESSAGING = "end_user_messaging"
SNS = "sns"

# The Secrets Manager secret holding the key of the rate-limit records' HMAC (its ARN).
RATE_LIMIT_KEY_SECRET_ENV = "RATE_LIMIT_KEY_SECRET_ARN"


@dataclass(frozen=True)
class Settings:
    table_name: str  # idempotency records and rate-limit counters (key `id`, TTL `expiration`)
    budget_ms: int
    channel: str  # END_USER_MESSAGING | SNS
    origination_identity: str  # End User Messaging: ARN of a phone number/pool/sender id; SNS: E.164 or ""
    configuration_set: str
    message: str
    enrollment_source: str  # backend | table | none
    enrollment_table_name: str
    push_webhook_url: str
    unknown_line_type: str  # send | refuse: numbers nobody knows to be mobile or landline
    rate_limit_max_messages: int
    rate_limit_window_seconds: int
    rate_limit_key_secret_id: str
    record_ttl_seconds: int  # how long a contact's answer is remembered

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            table_name=environ["SMS_DEFLECTION_TABLE_NAME"],
            budget_ms=int(environ.get(BUDGET_ENV, DEFAULT_BUDGET_MS)),  # the same budget run_dip keeps
            channel=environ.get("SMS_CHANNEL", SNS),
            origination_identity=environ.get("SMS_ORIGINATION_IDENTITY", ""),
            configuration_set=environ.get("SMS_CONFIGURATION_SET", ""),
            message=environ["SMS_MESSAGE"],
            enrollment_source=environ.get("ENROLLMENT_SOURCE", "none"),
            enrollment_table_name=environ.get("ENROLLMENT_TABLE_NAME", ""),
            push_webhook_url=environ.get("PUSH_WEBHOOK_URL", ""),
            unknown_line_type=environ.get("UNKNOWN_LINE_TYPE", "send"),
            rate_limit_max_messages=int(environ.get("RATE_LIMIT_MAX_MESSAGES", "3")),
            rate_limit_window_seconds=int(environ.get("RATE_LIMIT_WINDOW_SECONDS", "86400")),
            rate_limit_key_secret_id=environ[RATE_LIMIT_KEY_SECRET_ENV],
            record_ttl_seconds=int(environ.get("RECORD_TTL_SECONDS", "86400")),
        )
