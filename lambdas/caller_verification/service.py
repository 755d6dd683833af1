"""Wiring of the verification: AWS clients, the HMAC key, the code store, the limiters and the SMS sender.

Built once per container (`build()`), from the environment infra/caller_verification.py sets.
The HMAC key is read from Secrets Manager as the backend API key is (the Parameters and Secrets
extension when the function has it, else botocore), kept for the container's life: a key that
changed under live items would make their codes unusable and restart the counts. The private key
of Connect's encrypted input is read the same way, by the first PIN to check.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from lambdas.caller_verification.codes import CodeStore, Keyed
from lambdas.caller_verification.encrypted_input import ConnectInputKey
from lambdas.caller_verification.settings import Settings
from lambdas.caller_verification.verification import Sender, Verifier
from lambdas.common.deadline import Deadline
from lambdas.common.http import backend_client
from lambdas.common.secrets import ApiKeyCache, ApiKeyUnavailable, secret_fetch
from lambdas.sms_deflection.rate_limit import RateLimiter
from lambdas.sms_deflection.senders import EndUserMessagingSender, SnsSender
from lambdas.sms_deflection.settings import END_USER_MESSAGING


def create(settings: Settings, *, dynamodb: Any, messaging: Any, backend: Any, clock: Callable[[], float],
           key: Any = None, sms_seconds: float = 2.0) -> Verifier:
    """The verifier from explicit clients; `clock`: seconds since the epoch, for codes, lockouts and
    rate limits; `key`: the HMAC key (by default read from the secret the settings name)."""
    if key is None:
        key = ApiKeyCache(secret_fetch(settings.key_secret_id), ttl_seconds=math.inf)
        with contextlib.suppress(ApiKeyUnavailable):
            key.get(Deadline(0.0))  # starts the read in its worker thread: it overlaps the customer lookup
    sender: Sender
    if settings.sms_channel == END_USER_MESSAGING:
        sender = EndUserMessagingSender(messaging, origination_identity=settings.origination_identity,
                                        configuration_set=settings.configuration_set)
    else:
        sender = SnsSender(messaging, origination_number=settings.origination_identity)
    store = CodeStore(dynamodb, settings.table_name, Keyed(key), valid_seconds=settings.code_valid_seconds,
                      max_attempts=settings.max_attempts, lockout_after=settings.lockout_after_failures,
                      lockout_seconds=settings.lockout_seconds, clock=clock)
    input_key = ConnectInputKey(settings.input_key_secret_id, settings.security_key_id) if settings.input_key_secret_id else None
    return Verifier(
        backend=backend, store=store, sender=sender, message=settings.message, sms_seconds=sms_seconds, input_key=input_key,
        per_customer=RateLimiter(dynamodb, settings.table_name, secret_key=key, max_messages=settings.codes_per_customer,
                                 window_seconds=settings.window_seconds, clock=clock),
        per_number=RateLimiter(dynamodb, settings.table_name, secret_key=key, max_messages=settings.codes_per_number,
                               window_seconds=settings.window_seconds, clock=clock),
    )


@lru_cache(maxsize=1)
def build(budget_ms: int, clock: Callable[[], float]) -> Verifier:
    """The verifier of this container. Every AWS call is bounded by its client's timeouts; the SMS
    send gets up to 1.5 s (less with a budget under 3.75 s) and botocore never retries it: a read
    timeout may hide a delivered code."""
    import boto3
    from botocore.config import Config

    settings = Settings.from_environment()
    sms_seconds = min(1.5, budget_ms / 2500)
    per_call = sms_seconds if settings.sms_channel == END_USER_MESSAGING else sms_seconds / 2
    send_config = Config(connect_timeout=per_call / 4, read_timeout=per_call * 3 / 4, retries={"mode": "standard", "total_max_attempts": 1})
    table_config = Config(connect_timeout=0.25, read_timeout=0.5, retries={"mode": "standard", "total_max_attempts": 2})
    messaging = boto3.client("pinpoint-sms-voice-v2" if settings.sms_channel == END_USER_MESSAGING else "sns", config=send_config)
    return create(settings, dynamodb=boto3.client("dynamodb", config=table_config), messaging=messaging,
                  backend=backend_client(), clock=clock, sms_seconds=sms_seconds)
