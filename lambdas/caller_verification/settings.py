"""What infra/caller_verification.py tells the function through its environment, read once per container.

The SMS channel variables are SMS deflection's (`SMS_CHANNEL`, `SMS_ORIGINATION_IDENTITY`,
`SMS_CONFIGURATION_SET`): the codes go out through the same senders and the same sending identity.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.languages import is_spanish

TABLE_ENV = "VERIFICATION_TABLE_NAME"  # codes, lockouts and rate-limit counters (key `id`, TTL `expiration`)
KEY_SECRET_ENV = "VERIFICATION_KEY_SECRET_ARN"  # the HMAC key of codes, customers and numbers in that table
INPUT_KEY_SECRET_ENV = "VERIFICATION_INPUT_KEY_SECRET_ARN"  # the PEM private key of Connect's encrypted input
SECURITY_KEY_ID_ENV = "VERIFICATION_SECURITY_KEY_ID"  # the instance's security key id, the master key's key id
BRAND_ENV = "VERIFICATION_BRAND_NAME"
CODE_VALID_SECONDS_ENV = "CODE_VALID_SECONDS"
CODE_ATTEMPTS_ENV = "CODE_MAX_ATTEMPTS"
LOCKOUT_FAILURES_ENV = "LOCKOUT_AFTER_FAILURES"
LOCKOUT_SECONDS_ENV = "LOCKOUT_SECONDS"
CODES_PER_CUSTOMER_ENV = "CODES_PER_CUSTOMER"
CODES_PER_NUMBER_ENV = "CODES_PER_CALLING_NUMBER"
RATE_WINDOW_SECONDS_ENV = "CODES_WINDOW_SECONDS"
SMS_CHANNEL_ENV = "SMS_CHANNEL"
SMS_ORIGINATION_ENV = "SMS_ORIGINATION_IDENTITY"
SMS_CONFIGURATION_SET_ENV = "SMS_CONFIGURATION_SET"

CODE_DIGITS = 6


@dataclass(frozen=True)
class Settings:
    table_name: str
    key_secret_id: str
    input_key_secret_id: str = ""
    security_key_id: str = ""
    brand: str = ""  # none: the text names no one
    code_valid_seconds: int = 300
    max_attempts: int = 3
    lockout_after_failures: int = 5
    lockout_seconds: int = 1800
    codes_per_customer: int = 3
    codes_per_number: int = 3
    window_seconds: int = 3600
    sms_channel: str = "sns"
    origination_identity: str = ""
    configuration_set: str = ""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        def whole(name: str, default: int) -> int:
            try:
                value = int(environ.get(name, ""))
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(
            table_name=environ.get(TABLE_ENV, ""),
            key_secret_id=environ.get(KEY_SECRET_ENV, ""),
            input_key_secret_id=environ.get(INPUT_KEY_SECRET_ENV, ""),
            security_key_id=environ.get(SECURITY_KEY_ID_ENV, ""),
            brand=environ.get(BRAND_ENV, ""),
            code_valid_seconds=whole(CODE_VALID_SECONDS_ENV, 300),
            max_attempts=whole(CODE_ATTEMPTS_ENV, 3),
            lockout_after_failures=whole(LOCKOUT_FAILURES_ENV, 5),
            lockout_seconds=whole(LOCKOUT_SECONDS_ENV, 1800),
            codes_per_customer=whole(CODES_PER_CUSTOMER_ENV, 3),
            codes_per_number=whole(CODES_PER_NUMBER_ENV, 3),
            window_seconds=whole(RATE_WINDOW_SECONDS_ENV, 3600),
            sms_channel=environ.get(SMS_CHANNEL_ENV, "sns"),
            origination_identity=environ.get(SMS_ORIGINATION_ENV, ""),
            configuration_set=environ.get(SMS_CONFIGURATION_SET_ENV, ""),
        )

    def message(self, code: str, language: str | None = None) -> str:
        """The text the caller's mobile receives, in the call's language: the code first, so a phone can
        offer to fill it in."""
        minutes = max(1, self.code_valid_seconds // 60)
        if is_spanish(language):
            return (f"{code} es su código de verificación{' de ' + self.brand if self.brand else ''}. Vence en {minutes} "
                    f"{'minuto' if minutes == 1 else 'minutos'}. Nunca le pediremos que lo comparta.")
        return (f"{code} is your {self.brand + ' ' if self.brand else ''}verification code. It expires in {minutes} "
                f"{'minute' if minutes == 1 else 'minutes'}. We will never ask you to share it.")
