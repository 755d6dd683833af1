"""Closure check (CX-8, MSG-2): at call start the flows ask whether a holiday or emergency message plays.

Parameters: `queue` (optional; else the contact's queue), `flow` (the flow's name), `language`
(else the contact's language, else DEFAULT_LANGUAGE), `scope` (`queue`: only the messages of the
contact's queue, asked again once the call has one). Answer: `result` CLOSED | ANNOUNCE | OPEN,
`closed`, `kind`, `message` (always SSML, or ""), `message_format` (TEXT | SSML, as stored),
`message_id`, `stale` ("true" when DynamoDB failed and the last messages read were used).

The messages come from one Query of the table's MESSAGE partition, kept in memory for
CACHE_TTL_ENV seconds: an operator's edit is live within that time, and a container reads the
table at most once per period. When the read fails, the last messages read answer (stale), or,
before any read succeeded, OPEN with no message: a broken table never blocks a call. Nothing
expected raises (Connect would retry while the caller waits).
"""
from __future__ import annotations

import os
import time
from typing import Any

import botocore.session
from aws_lambda_powertools.metrics import MetricUnit
from botocore.config import Config

from lambdas.closure_check.environment import BUDGET_ENV, CACHE_TTL_ENV, DEFAULT_LANGUAGE_ENV, TABLE_ENV, TIME_ZONE_ENV
from lambdas.closure_check.model import MESSAGE_PARTITION, PARTITION_KEY, SORT_KEY, Choice, Message, answer, choose, from_item, utc_now, validate
from lambdas.common.connect_event import ContactEvent, InvalidEvent
from lambdas.common.deadline import freeze_long_lived_objects
from lambdas.common.observability import MetricName, logger, metrics, result_metric_name
from lambdas.common.responses import flat_response

DEFAULT_CACHE_TTL_SECONDS = 30
DEFAULT_BUDGET_MS = 1500
RETRY_AFTER_FAILURE_SECONDS = 5  # after a failed read, the stale messages answer this long before the next try
_clock = time.monotonic  # the cache's clock (tests move it)


class _Cache:
    """The messages last read, per container."""

    def __init__(self) -> None:
        self.messages: list[Message] | None = None
        self.next_read_at = 0.0  # monotonic
        self.stale = False  # the last read failed: the messages are the last known ones
        self.client: Any = None


_cache = _Cache()


def reset_cache() -> None:
    """Forget the messages and the client (tests; the simulator after loading new messages)."""
    global _cache
    _cache = _Cache()


@metrics.log_metrics
def lambda_handler(event: Any, context: Any) -> dict[str, str]:
    started = time.monotonic()
    metrics.add_metric(name=MetricName.INVOCATIONS, unit=MetricUnit.Count, value=1)
    logger.set_correlation_id(None)
    try:
        choice, stale = _check(event)
    except Exception:  # noqa: BLE001 - a bug must not make Connect retry while the caller waits
        logger.exception("closure check failed; answering OPEN")
        choice, stale = Choice(None, closed=False), False
    response = flat_response(choice.result, **answer(choice), stale=stale)
    metrics.add_metric(name=result_metric_name(choice.result), unit=MetricUnit.Count, value=1)
    metrics.add_metric(name=MetricName.LATENCY, unit=MetricUnit.Milliseconds, value=(time.monotonic() - started) * 1000)
    logger.info("closure check answered", extra={k: response[k] for k in ("result", "kind", "message_id", "stale")})
    return response


def _check(event: Any) -> tuple[Choice, bool]:
    try:
        contact = ContactEvent.parse(event)
    except InvalidEvent as problem:
        logger.warning("not a usable Connect event; answering OPEN", extra={"problem": str(problem)})
        return Choice(None, closed=False), False
    logger.set_correlation_id(contact.contact_id)
    messages, stale = _messages()
    default_language = os.environ.get(DEFAULT_LANGUAGE_ENV, "en-US")
    choice = choose(
        messages,
        utc_now(),
        queue=contact.parameter("queue") or contact.queue_name or "",
        flow=contact.parameter("flow"),
        language=contact.parameter("language") or contact.language or default_language,
        default_language=default_language,
        center_tz=os.environ.get(TIME_ZONE_ENV, "UTC"),
        queue_only=contact.parameter("scope").strip().lower() == "queue",
    )
    return choice, stale


def _messages() -> tuple[list[Message], bool]:
    """(messages, stale): from the cache while fresh, else from one Query of the table."""
    now = _clock()
    if _cache.messages is not None and now < _cache.next_read_at:
        return _cache.messages, _cache.stale
    try:
        messages = _read_table()
    except Exception as problem:  # noqa: BLE001 - any failure of the read: throttling, timeout, access, bad item
        metrics.add_metric(name=MetricName.MESSAGES_TABLE_ERROR, unit=MetricUnit.Count, value=1)
        _cache.next_read_at = now + min(RETRY_AFTER_FAILURE_SECONDS, _ttl_seconds())
        if _cache.messages is None:
            logger.error("messages table unreadable and no messages known; answering OPEN", extra={"problem": repr(problem)})
            return [], False
        logger.warning("messages table unreadable; answering from the last messages read", extra={"problem": repr(problem)})
        metrics.add_metric(name=MetricName.MESSAGES_SERVED_STALE, unit=MetricUnit.Count, value=1)
        _cache.stale = True
        return _cache.messages, True
    _cache.messages, _cache.next_read_at, _cache.stale = messages, now + _ttl_seconds(), False
    return messages, False


def _read_table() -> list[Message]:
    if _cache.client is None:
        _cache.client = _dynamodb_client()
    query = {
        "TableName": os.environ[TABLE_ENV],
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": PARTITION_KEY},
        "ExpressionAttributeValues": {":pk": {"S": MESSAGE_PARTITION}},
    }
    messages: list[Message] = []
    while True:
        page = _cache.client.query(**query)
        for item in page.get("Items", []):
            try:
                messages.append(validate(from_item(item)))
            except (KeyError, ValueError, TypeError) as problem:  # written by hand in the console? skip it, keep the others
                logger.error("skipping a malformed message item", extra={"sk": str(item.get(SORT_KEY)), "problem": repr(problem)})
        if "LastEvaluatedKey" not in page:
            freeze_long_lived_objects()  # the client, its endpoint and credentials exist by now
            return messages
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _dynamodb_client() -> Any:
    """A client that gives up within the budget: two attempts, each with short connect and read timeouts."""
    per_attempt = int(os.environ.get(BUDGET_ENV, DEFAULT_BUDGET_MS)) / 1000 / 2
    connect_timeout = min(0.3, per_attempt / 3)
    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=max(0.1, per_attempt - connect_timeout),
        retries={"total_max_attempts": 2, "mode": "standard"},
    )
    return botocore.session.get_session().create_client("dynamodb", config=config)


def _ttl_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(CACHE_TTL_ENV, DEFAULT_CACHE_TTL_SECONDS)))
    except ValueError:
        return DEFAULT_CACHE_TTL_SECONDS
