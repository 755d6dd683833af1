"""The verification table: one-time codes per contact and failures per customer (DynamoDB).

Nothing in it can be read back into a code, a customer or a number: every value that names one is
an HMAC-SHA-256 under a secret key only this function reads (`Keyed`), and items expire through
the table's TTL (`expiration`). Expiry is also checked on every read, as TTL deletes lazily.

- `code#<ContactId>`: the HMAC of the contact's current code (`digest`), the customer's HMAC, how
  many codes were sent (`sends`, at most 2: one resend), wrong entries of this code (`attempts`),
  until when it is valid (`valid_until`); `verified` once it matched (the digest is then removed), so a retried
  check answers the same.
- `lock#<customer HMAC>`: wrong entries within the lockout window and, once there were too many,
  until when the customer is locked out, whichever call they come from.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from lambdas.common.secrets import ApiKeyUnavailable

# What `CodeStore.start` found.
NEW = "NEW"  # a new code is stored: send it
REPEAT = "REPEAT"  # this request was already served (Connect retried it): send nothing
NO_MORE = "NO_MORE"  # the one resend was used (a retried resend too: the dip never raises, so Connect
# retries only a failed invocation, and refusing is the safe answer)

# What `CodeStore.check` found.
MATCHED = "MATCHED"
WRONG = "WRONG"
EXHAUSTED = "EXHAUSTED"  # wrong, and that was the last attempt
EXPIRED = "EXPIRED"
NO_CODE = "NO_CODE"
LOCKED_OUT = "LOCKED_OUT"  # the customer was locked out meanwhile (another call's wrong codes)


class StoreError(Exception):
    """The table or the HMAC key failed: verification is unavailable (never a pass)."""


class Keyed:
    """HMACs under the secret key (lambdas.common.secrets.ApiKeyCache over its secret)."""

    def __init__(self, key: Any):
        self._key = key

    def digest(self, kind: str, value: str, deadline: Any) -> str:
        try:
            secret = self._key.get(deadline).encode()
        except ApiKeyUnavailable as problem:
            raise StoreError(f"HMAC key {problem.kind}") from None
        return hmac.new(secret, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Check:
    found: str
    attempts_left: int = 0


class CodeStore:
    def __init__(self, client: Any, table_name: str, keyed: Keyed, *, valid_seconds: int, max_attempts: int,
                 lockout_after: int, lockout_seconds: int, clock: Callable[[], float]):
        self._client = client
        self._table = table_name
        self._keyed = keyed
        self._valid = valid_seconds
        self._max_attempts = max_attempts
        self._lockout_after = lockout_after
        self._lockout_seconds = lockout_seconds
        self._clock = clock

    # -- customers --------------------------------------------------------------------------------
    def customer_key(self, customer_id: str, deadline: Any) -> str:
        return self._keyed.digest("customer", customer_id, deadline)

    def locked(self, customer: str) -> bool:
        item = self._get(f"lock#{customer}") or {}
        return _number(item, "locked_until") > self._clock()

    def record_failure(self, customer: str) -> bool:
        """Count one wrong entry; True when the customer is now locked out."""
        now = int(self._clock())
        key = {"id": {"S": f"lock#{customer}"}}
        try:
            try:
                answer = self._client.update_item(
                    TableName=self._table, Key=key, UpdateExpression="ADD failures :one",
                    ConditionExpression="window_until > :now",
                    ExpressionAttributeValues={":one": {"N": "1"}, ":now": {"N": str(now)}}, ReturnValues="ALL_NEW",
                )
                failures = int(answer["Attributes"]["failures"]["N"])
            except ClientError as error:
                if _code(error) != "ConditionalCheckFailedException":
                    raise
                failures = 1  # the first failure of a new window
                until = now + self._lockout_seconds
                self._client.put_item(TableName=self._table, Item={
                    **key, "failures": {"N": "1"}, "window_until": {"N": str(until)}, "expiration": {"N": str(until)}})
            if failures < self._lockout_after:
                return False
            until = now + self._lockout_seconds
            self._client.update_item(
                TableName=self._table, Key=key, UpdateExpression="SET locked_until = :until, expiration = :until",
                ExpressionAttributeValues={":until": {"N": str(until)}},
            )
            return True
        except (ClientError, BotoCoreError) as error:
            raise StoreError(type(error).__name__) from None

    def clear_failures(self, customer: str) -> None:
        self._call("delete_item", Key={"id": {"S": f"lock#{customer}"}})

    # -- codes ------------------------------------------------------------------------------------
    def start(self, contact_id: str, customer: str, code: str, *, resend: bool, deadline: Any) -> str:
        """Store `code` as the contact's code (NEW), unless this request was served already."""
        now = int(self._clock())
        digest = self._keyed.digest("code", f"{contact_id}\0{code}", deadline)
        key = {"id": {"S": f"code#{contact_id}"}}
        values = {":digest": {"S": digest}, ":valid": {"N": str(now + self._valid)},
                  ":expires": {"N": str(now + max(self._valid, 3600))}, ":customer": {"S": customer}}
        try:
            if not resend:
                self._client.put_item(
                    TableName=self._table, ConditionExpression="attribute_not_exists(id)",
                    Item={**key, "digest": values[":digest"], "customer": values[":customer"], "sends": {"N": "1"},
                          "attempts": {"N": "0"}, "valid_until": values[":valid"], "expiration": values[":expires"]},
                )
            else:
                self._client.update_item(
                    TableName=self._table, Key=key, ConditionExpression="attribute_not_exists(id) OR sends < :two",
                    UpdateExpression="SET digest = :digest, customer = :customer, attempts = :zero, valid_until = :valid, "
                                     "expiration = :expires ADD sends :one REMOVE verified",
                    ExpressionAttributeValues={**values, ":two": {"N": "2"}, ":zero": {"N": "0"}, ":one": {"N": "1"}},
                )
            return NEW
        except ClientError as error:
            if _code(error) != "ConditionalCheckFailedException":
                raise StoreError(_code(error)) from None
        except BotoCoreError as error:
            raise StoreError(type(error).__name__) from None
        # The first code exists already: Connect retried the request. A resend refused: the one resend was used.
        return NO_MORE if resend else REPEAT

    def forget(self, contact_id: str) -> None:
        """The code could not be sent: drop it, so that it can never be entered."""
        self._call("update_item", Key={"id": {"S": f"code#{contact_id}"}}, UpdateExpression="REMOVE digest")

    def check(self, contact_id: str, code: str, deadline: Any) -> tuple[Check, str]:
        """What the entered `code` is worth, and the customer's HMAC the code was sent for ("" when none)."""
        key = f"code#{contact_id}"
        item = self._get(key)
        if not item:
            return Check(NO_CODE), ""
        customer = item.get("customer", {}).get("S", "")
        if item.get("verified", {}).get("BOOL"):
            return Check(MATCHED), customer
        if "digest" not in item:
            return Check(EXPIRED if item.get("sends") else NO_CODE), customer
        if _number(item, "valid_until") < self._clock():
            self.forget(contact_id)
            return Check(EXPIRED), customer
        if customer and self.locked(customer):
            self.forget(contact_id)
            return Check(LOCKED_OUT), customer
        entered = self._keyed.digest("code", f"{contact_id}\0{code}", deadline)
        if hmac.compare_digest(entered, item["digest"]["S"]):
            self._call("update_item", Key={"id": {"S": key}}, UpdateExpression="SET verified = :yes REMOVE digest",
                       ExpressionAttributeValues={":yes": {"BOOL": True}})
            return Check(MATCHED), customer
        answer = self._call(
            "update_item", Key={"id": {"S": key}}, UpdateExpression="ADD attempts :one",
            ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="ALL_NEW",
        )
        attempts = int(answer["Attributes"]["attempts"]["N"])
        if attempts >= self._max_attempts:
            self.forget(contact_id)
            return Check(EXHAUSTED), customer
        return Check(WRONG, self._max_attempts - attempts), customer

    # -- plumbing ---------------------------------------------------------------------------------
    def _get(self, key: str) -> dict[str, Any] | None:
        return self._call("get_item", Key={"id": {"S": key}}, ConsistentRead=True).get("Item")

    def _call(self, operation: str, **request: Any) -> Any:
        try:
            return getattr(self._client, operation)(TableName=self._table, **request)
        except (ClientError, BotoCoreError) as error:
            raise StoreError(type(error).__name__) from None


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "ClientError"))


def _number(item: dict[str, Any], name: str) -> float:
    try:
        return float(item[name]["N"])
    except (KeyError, TypeError, ValueError):
        return 0.0
