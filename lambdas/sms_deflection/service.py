"""Wiring of the deflection: AWS clients, senders, enrollment lookup and the per-contact idempotency record.

Built once per container (`build()`), from the environment infra/sms_deflection.py sets. The
rate limit's HMAC key is read from Secrets Manager once per container, in the background from the
moment the service is built, so the first invocation's idempotency write overlaps the read.

Idempotency: Powertools Idempotency with its DynamoDB persistence layer, keyed on the ContactId
only. The first invocation for a contact writes an INPROGRESS record, deflects, and stores the
answer; any later invocation (Connect's retry, the caller pressing again) gets that answer back
without sending. While the first is still running the second answers SENT: a message for this
contact is on its way, and a second one must not be. When the attempt proves nothing was sent
(nothing to dedupe), the record is dropped so a later press may try again.

Known limit: if the table fails right after a message went out, the answer is still SENT but the
record stays INPROGRESS; once that expires (the Lambda timeout) a new press could send again.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from botocore.config import Config

from lambdas.common.deadline import Deadline
from lambdas.common.http import backend_client
from lambdas.common.observability import MetricName, logger, metrics
from lambdas.common.secrets import ApiKeyCache, ApiKeyUnavailable, secrets_manager_fetch
from lambdas.sms_deflection.backend import BackendEnrollment, PushSender, webhook_client
from lambdas.sms_deflection.deflection import ERROR, SENT, Deflector, Outcome, Sender
from lambdas.sms_deflection.enrollment import Enrollment, TableEnrollment
from lambdas.sms_deflection.rate_limit import RateLimiter, SecretKey
from lambdas.sms_deflection.senders import Delivery, EndUserMessagingSender, SnsSender
from lambdas.sms_deflection.settings import END_USER_MESSAGING, Settings


class _NothingSent(Exception):
    """Raised inside the idempotent call so Powertools drops the record: a later press may try again."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.error_kind)
        self.outcome = outcome


@dataclass
class Service:
    settings: Settings
    deflector: Deflector
    idempotency: IdempotencyConfig
    once: Any  # the idempotent call

    def deflect_once(self, contact_id: str, number: str, deadline: Any, context: Any = None) -> Outcome:
        if hasattr(context, "get_remaining_time_in_millis"):
            self.idempotency.register_lambda_context(context)  # a crashed invocation's INPROGRESS record expires with it
        attempt: dict[str, Outcome] = {}
        try:
            answer = self.once(contact={"contact_id": contact_id}, number=number, deadline=deadline, attempt=attempt)
        except _NothingSent as nothing:
            return nothing.outcome
        except IdempotencyAlreadyInProgressError:
            metrics.add_metric(name=MetricName.DEFLECTION_DUPLICATE, unit=MetricUnit.Count, value=1)
            return Outcome(SENT)
        except Exception:  # noqa: BLE001 - the table failed; never raise to Connect
            logger.exception("idempotency record unavailable")
            metrics.add_metric(name=MetricName.DEFLECTION_STORE_ERROR, unit=MetricUnit.Count, value=1)
            return attempt.get("outcome") or Outcome(ERROR, error_kind="STORE")  # sent but not recorded: still SENT
        if "outcome" not in attempt:
            metrics.add_metric(name=MetricName.DEFLECTION_DUPLICATE, unit=MetricUnit.Count, value=1)
        return Outcome(answer.get("result", ERROR), answer.get("channel", ""), answer.get("error_kind", ""))

    def _deflect(self, *, contact: dict, number: str, deadline: Any, attempt: dict) -> dict:
        outcome = self.deflector.deflect(number, contact["contact_id"], deadline)
        attempt["outcome"] = outcome
        if outcome.result == ERROR and outcome.error_kind == "STORE":
            metrics.add_metric(name=MetricName.DEFLECTION_STORE_ERROR, unit=MetricUnit.Count, value=1)
        if not outcome.final:
            raise _NothingSent(outcome)
        return outcome.answer()


def count_delivery(channel: str, delivery: Delivery) -> None:
    if delivery.sent:
        name = MetricName.DEFLECTION_SENT_PUSH if channel == "PUSH" else MetricName.DEFLECTION_SENT_SMS
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    elif delivery.error_kind:
        metrics.add_metric(name=MetricName.DEFLECTION_SEND_ERROR, unit=MetricUnit.Count, value=1)
        logger.warning("deflection message not sent", extra={"channel": channel, "error_kind": delivery.error_kind, "ambiguous": delivery.ambiguous})


def rate_limit_key(secret_id: str, secretsmanager: Any = None) -> ApiKeyCache:
    """The HMAC key of the rate-limit records, kept for the container's life (a key that changed
    under live records would restart their counts). Its read starts now, without waiting for it."""
    key = ApiKeyCache(secrets_manager_fetch(secret_id, secretsmanager=secretsmanager), ttl_seconds=math.inf)
    with contextlib.suppress(ApiKeyUnavailable):
        key.get(Deadline(0.0))  # starts the read in its worker thread; acquire() waits for it within its deadline
    return key


def create(
    settings: Settings, *, dynamodb: Any, messaging: Any, secret_key: SecretKey | None = None,
    backend: Any = None, webhook: Any = None, sms_seconds: float = 2.0,
) -> Service:
    """The service from explicit clients: `messaging` (pinpoint-sms-voice-v2 or sns), `backend` and
    `webhook` (lambdas.common.http.BackendClient, for the enrollment lookup and the push);
    `secret_key`: the rate limit's HMAC key (by default, read from the secret the settings name)."""
    secret_key = secret_key or rate_limit_key(settings.rate_limit_key_secret_id)  # first: its read overlaps the rest
    sms: Sender
    if settings.channel == END_USER_MESSAGING:
        sms = EndUserMessagingSender(messaging, origination_identity=settings.origination_identity, configuration_set=settings.configuration_set)
    else:
        sms = SnsSender(messaging, origination_number=settings.origination_identity, on_check_failed=lambda d: count_delivery("SMS", d))
    lookup: Callable[[str, Any], Enrollment] | None = None
    push: Sender | None = None
    if settings.enrollment_source == "table":
        lookup = TableEnrollment(dynamodb, settings.enrollment_table_name).lookup
    if settings.enrollment_source == "backend" and backend is not None:
        lookup = BackendEnrollment(backend).lookup
    if settings.push_webhook_url and webhook is not None:
        push = PushSender(webhook)
    deflector = Deflector(
        message=settings.message,
        sms=sms,
        push=push,
        lookup=lookup,
        rate_limiter=RateLimiter(
            dynamodb, settings.table_name, secret_key=secret_key,
            max_messages=settings.rate_limit_max_messages, window_seconds=settings.rate_limit_window_seconds,
        ),
        unknown_line_type=settings.unknown_line_type,
        sms_seconds=sms_seconds,
        on_delivery=count_delivery,
    )
    idempotency = IdempotencyConfig(expires_after_seconds=settings.record_ttl_seconds)
    service = Service(settings, deflector, idempotency, None)
    service.once = idempotent_function(
        service._deflect,
        data_keyword_argument="contact",
        persistence_store=DynamoDBPersistenceLayer(table_name=settings.table_name, boto3_client=dynamodb),
        config=idempotency,
        key_prefix="sms_deflection",
    )
    return service


@lru_cache(maxsize=1)
def build() -> Service:
    """The service of this container, from the environment and real clients."""
    settings = Settings.from_environment()
    # The HMAC key's read starts first, in its worker thread: it overlaps making the other clients and
    # the idempotency write. One attempt per read; one that failed is tried again by the next invocation.
    secret_config = Config(connect_timeout=1, read_timeout=2, retries={"mode": "standard", "total_max_attempts": 1})
    secret_key = rate_limit_key(settings.rate_limit_key_secret_id, boto3.client("secretsmanager", config=secret_config))
    # Every AWS call is bounded by its client's timeouts. The SMS send gets up to half the budget
    # (at most 2 s; SNS makes two calls: the opt-out check and the publish), and botocore never
    # retries it: a read timeout may hide a delivered message.
    sms_seconds = min(2.0, settings.budget_ms / 2000)
    per_call = sms_seconds if settings.channel == END_USER_MESSAGING else sms_seconds / 2
    send_config = Config(connect_timeout=per_call / 4, read_timeout=per_call * 3 / 4, retries={"mode": "standard", "total_max_attempts": 1})
    table_config = Config(connect_timeout=0.25, read_timeout=0.5, retries={"mode": "standard", "total_max_attempts": 2})
    messaging = boto3.client("pinpoint-sms-voice-v2" if settings.channel == END_USER_MESSAGING else "sns", config=send_config)
    backend = webhook = None
    if settings.enrollment_source == "backend" or settings.push_webhook_url:
        backend = backend_client()
        webhook = webhook_client(settings.push_webhook_url) if settings.push_webhook_url else None
    dynamodb = boto3.client("dynamodb", config=table_config)
    return create(settings, dynamodb=dynamodb, messaging=messaging, secret_key=secret_key, backend=backend, webhook=webhook, sms_seconds=sms_seconds)
