"""Context object `verification`: verifying the caller before account-level service (issue 17), every key optional."""
from __future__ import annotations

import re
from typing import Annotated, Any, Self

from pydantic import PlainValidator, model_validator

from configuration.settings import Section, invalid, listed, optional_text, whole

# What a flow can require verification for: the menu choices whose flows invoke the module verify_caller.
VERIFIABLE = ("billing",)
_VERIFIABLE = re.compile("|".join(VERIFIABLE)).fullmatch
_SECURITY_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,100}").fullmatch


def _read_certificate(value: Any) -> str:
    """Empty, or an X.509 certificate (PEM) over an RSA key: the one Connect encrypts input with."""
    if value == "":
        return ""
    if not isinstance(value, str) or "-----BEGIN CERTIFICATE-----" not in value:
        raise invalid("must be an X.509 certificate in PEM format ('-----BEGIN CERTIFICATE-----...'), or empty")
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        certificate = x509.load_pem_x509_certificate(value.encode())
    except ValueError:
        raise invalid("is not a readable X.509 certificate (PEM)") from None
    if not isinstance(certificate.public_key(), rsa.RSAPublicKey):
        raise invalid("must be a certificate over an RSA key (Connect encrypts with RSA-OAEP)")
    return value


class VerificationConfig(Section):
    """`required_for`: the menu choices that verify the caller first (`billing`; `[]` for none). The
    caller gets a 6-digit code by text on the mobile number on file, valid `code_valid_minutes`, at
    most `max_attempts` entries per code and one resend. After `lockout_after_failures` wrong codes
    (across calls, each within `lockout_minutes` of the previous) the customer is locked out for
    `lockout_minutes`. At most `codes_per_customer` and `codes_per_calling_number` calls get codes
    per `codes_window_minutes`. The text names `sms_deflection.brand_name` and goes out through
    SMS deflection's `channel` and `origination_identity`.

    `pin_certificate`: the X.509 certificate (PEM) of the key Connect encrypts a keyed PIN with, for
    customers no code can be texted to; empty (the default) for no PIN, and then the module is
    deployed without its PIN blocks (runtime_values.passed_by_blocks). The stack registers its
    public key as the instance's security key, unless `pin_security_key_id` names one registered
    already; the private key goes into the secret the stack creates (never into cdk.json)."""

    required_for: Annotated[tuple[str, ...], listed(f"menu choices among {list(VERIFIABLE)}", _VERIFIABLE)] = VERIFIABLE
    code_valid_minutes: Annotated[int, whole(1, 30)] = 5
    max_attempts: Annotated[int, whole(1, 10)] = 3
    lockout_after_failures: Annotated[int, whole(1, 100)] = 5
    lockout_minutes: Annotated[int, whole(1, 10080)] = 30
    codes_per_customer: Annotated[int, whole(1, 100)] = 3
    codes_per_calling_number: Annotated[int, whole(1, 100)] = 3
    codes_window_minutes: Annotated[int, whole(1, 10080)] = 60
    pin_certificate: Annotated[str, PlainValidator(_read_certificate)] = ""
    pin_security_key_id: Annotated[str, optional_text("a Connect security key id", _SECURITY_KEY_ID)] = ""

    @model_validator(mode="after")
    def _key_id_with_its_certificate(self) -> Self:
        if self.pin_security_key_id and not self.pin_certificate:
            # The flow encrypts with the certificate; the key id alone asks for no PIN and would be ignored.
            raise invalid("needs verification.pin_certificate too: the flow encrypts the PIN with the certificate "
                          "the security key holds", key="pin_security_key_id")
        return self
