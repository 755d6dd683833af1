"""Reading the messages table for the closure check (MSG-2): one Query, cached per container.

The messages come from one Query of the table's MESSAGE partition, kept in memory for
CACHE_TTL_ENV seconds: an operator's edit is live within that time, and a container reads the
table at most once per period. When the read fails, the last messages read answer (stale), or,
before any read succeeded, no message at all: a broken table never blocks a call.

The closure check is on every call's path, so an unreachable table must cost a caller little: one
attempt, no retry, with connect and read timeouts that add up to READ_TIMEOUT_ENV milliseconds
(default 90). A failed read is tried again RETRY_AFTER_FAILURE_SECONDS later, not on every call.
botocore is imported when the first read needs it, not with the handler.
"""
from __future__ import annotations

import os
import time
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from lambdas.closure_check.environment import CACHE_TTL_ENV, READ_TIMEOUT_ENV, TABLE_ENV
from lambdas.closure_check.items import MESSAGE_PARTITION, PARTITION_KEY, SORT_KEY, from_item
from lambdas.closure_check.model import Message, validate
from lambdas.common.deadline import freeze_long_lived_objects
from lambdas.common.observability import MetricName, logger, metrics

DEFAULT_CACHE_TTL_SECONDS = 30
DEFAULT_READ_TIMEOUT_MS = 90
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


def current_messages() -> tuple[list[Message], bool]:
    """(messages, stale): from the cache while fresh, else from one Query of the table. Never raises
    for a failed read: it is counted, logged and answered from the last messages read."""
    now = _clock()
    if _cache.messages is not None and now < _cache.next_read_at:
        return _cache.messages, _cache.stale
    try:
        messages = _read_table()
    except Exception as problem:  # any failure of the read: throttling, timeout, access, bad item
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
        _cache.client = dynamodb_client()
    query: dict[str, Any] = {
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


def dynamodb_client() -> Any:
    """A client that gives up on the table within the read timeout: one attempt, whose connect (TCP
    and TLS) and read of the answer each get half of it."""
    import botocore.session
    from botocore.config import Config

    half = read_timeout_ms() / 1000 / 2
    config = Config(connect_timeout=half, read_timeout=half, retries={"total_max_attempts": 1, "mode": "standard"})
    return botocore.session.get_session().create_client("dynamodb", config=config)


def read_timeout_ms() -> int:
    """READ_TIMEOUT_ENV: a whole number of milliseconds above zero, else the default."""
    value = os.environ.get(READ_TIMEOUT_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_READ_TIMEOUT_MS


def _ttl_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(CACHE_TTL_ENV, DEFAULT_CACHE_TTL_SECONDS)))
    except ValueError:
        return DEFAULT_CACHE_TTL_SECONDS
