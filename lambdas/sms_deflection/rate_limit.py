"""At most N deflection messages per number per window, whatever the flows do (a DynamoDB conditional counter).

One item per number and window holds the set of contact ids that were given a slot. Adding a
contact succeeds while the set is smaller than the limit, or when the contact is already in it
(a retry of the same contact takes no second slot). Windows are fixed (aligned on the epoch), so
a number can get at most 2 x N messages around a window boundary; the key holds a hash of the
number, not the number. Items expire through the table's TTL after their window.
"""
from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


class StoreError(Exception):
    """The table did not answer: the caller is not sent anything (fail closed)."""


class RateLimiter:
    def __init__(self, client: Any, table_name: str, *, max_messages: int, window_seconds: int, clock: Callable[[], float] = time.time):
        self._client = client
        self._table = table_name
        self._max = max_messages
        self._window = window_seconds
        self._clock = clock

    def _key(self, number: str) -> tuple[dict, int]:
        window = int(self._clock() // self._window)
        digest = hashlib.sha256(number.encode()).hexdigest()[:32]
        return {"id": {"S": f"rate#{digest}#{window}"}}, (window + 1) * self._window

    def acquire(self, number: str, contact_id: str) -> bool:
        """True when `contact_id` may send to `number`; False when the number had its share."""
        key, window_end = self._key(number)
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

    def release(self, number: str, contact_id: str) -> None:
        """Give the slot back when the send proved nothing went out (best effort)."""
        key, _ = self._key(number)
        with contextlib.suppress(ClientError, BotoCoreError):
            self._client.update_item(
                TableName=self._table, Key=key, UpdateExpression="DELETE contacts :contact",
                ExpressionAttributeValues={":contact": {"SS": [contact_id]}},
            )
