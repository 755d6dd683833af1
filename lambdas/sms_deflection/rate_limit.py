"""At most N deflection messages per number per window, whatever the flows do (a DynamoDB conditional counter).

One item per number and window holds the set of contact ids that were given a slot. Adding a
contact succeeds while the set is smaller than the limit, or when the contact is already in it
(a retry of the same contact takes no second slot). Windows are fixed (aligned on the epoch), so
a number can get at most 2 x N messages around a window boundary. Items expire through the
table's TTL after their window.

The item's key holds an HMAC-SHA-256 of the number under a secret key (from Secrets Manager, read
once per container), not the number nor a plain hash of it: phone numbers are few enough to try
them all, so whoever reads the table learns nothing without the key too. Without the key the
limiter cannot count, and the caller is sent nothing (StoreError, as when the table fails).
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from lambdas.common.observability import logger
from lambdas.common.secrets import ApiKeyUnavailable


class StoreError(Exception):
    """The table did not answer, or the HMAC key could not be read: the caller is not sent anything (fail closed)."""


class SecretKey(Protocol):
    """Where the HMAC key comes from: lambdas.common.secrets.ApiKeyCache over its secret."""

    def get(self, deadline: Any) -> str: ...


class RateLimiter:
    def __init__(
        self, client: Any, table_name: str, *, secret_key: SecretKey, max_messages: int, window_seconds: int,
        clock: Callable[[], float] = time.time,
    ):
        self._client = client
        self._table = table_name
        self._secret_key = secret_key
        self._max = max_messages
        self._window = window_seconds
        self._clock = clock

    def _key(self, number: str, deadline: Any) -> tuple[dict, int]:
        try:
            secret = self._secret_key.get(deadline).encode()
        except ApiKeyUnavailable as problem:
            logger.warning("rate-limit key unavailable", extra={"kind": problem.kind, "detail": str(problem)})
            raise StoreError("RATE_LIMIT_KEY") from problem
        window = int(self._clock() // self._window)
        digest = hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()
        return {"id": {"S": f"rate#{digest}#{window}"}}, (window + 1) * self._window

    def acquire(self, number: str, contact_id: str, deadline: Any) -> bool:
        """True when `contact_id` may send to `number`; False when the number had its share.

        `deadline` bounds the wait for the HMAC key (only the first call of a container waits)."""
        key, window_end = self._key(number, deadline)
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression="ADD contacts :contact SET expiration = :expires",
                ConditionExpression="attribute_not_exists(contacts) OR contains(contacts, :id) OR size(contacts) < :max",
                ExpressionAttributeValues={
                    ":contact": {"SS": [contact_id]},
                    ":id": {"S": contact_id},
                    ":max": {"N": str(self._max)},
                    ":expires": {"N": str(window_end)},
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise StoreError(error.response.get("Error", {}).get("Code", "ClientError")) from error
        except BotoCoreError as error:
            raise StoreError(type(error).__name__) from error
        return True

    def release(self, number: str, contact_id: str, deadline: Any) -> None:
        """Give the slot back when the send proved nothing went out (best effort)."""
        with contextlib.suppress(ClientError, BotoCoreError, StoreError):
            key, _ = self._key(number, deadline)
            self._client.update_item(
                TableName=self._table, Key=key, UpdateExpression="DELETE contacts :contact",
                ExpressionAttributeValues={":contact": {"SS": [contact_id]}},
            )
