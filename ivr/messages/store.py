"""The messages table as operators change it (MSG-3, MSG-4): conditional writes and a history entry per change.

Every change is one DynamoDB transaction: the message write, conditional on the version the
operator started from (or on the message not existing yet), plus a history item (who, when,
before and after). A concurrent edit makes the condition fail and nothing is written: no edit is
ever lost silently. `apply` writes all its changes in one transaction, so a file applies entirely
or not at all.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ivr.messages.documents import to_document
from lambdas.closure_check.items import HISTORY_PARTITION, MESSAGE_PARTITION, PARTITION_KEY, SORT_KEY, from_item, to_item
from lambdas.closure_check.model import Message, iso_utc, utc_now

MAX_CHANGES_PER_WRITE = 50  # a DynamoDB transaction holds 100 actions: a message and its history item each


class ConflictError(Exception):
    """Someone else changed (or added, or deleted) the message since it was read; nothing was written."""


@dataclass(frozen=True)
class Change:
    action: str  # ADD | UPDATE | ENABLE | DISABLE | DELETE
    before: Message | None
    after: Message | None

    @property
    def id(self) -> str:
        return (self.after or self.before).id  # type: ignore[union-attr]


class MessageStore:
    def __init__(self, client: Any, table: str) -> None:
        self.client, self.table = client, table
        self.invalid: list[str] = []  # items the last messages() could not read

    def messages(self) -> list[Message]:
        """Every valid message by id; items that are not (edited by hand?) are skipped and noted in `invalid`."""
        messages, self.invalid = [], []
        for item in self._query(MESSAGE_PARTITION):
            try:
                messages.append(from_item(item))
            except (KeyError, ValueError, TypeError) as problem:
                self.invalid.append(f"{item.get(SORT_KEY, {}).get('S', '?')} ({problem!r})")
        return sorted(messages, key=lambda m: m.id)

    def get(self, message_id: str) -> Message | None:
        item = self.client.get_item(
            TableName=self.table, Key={PARTITION_KEY: {"S": MESSAGE_PARTITION}, SORT_KEY: {"S": message_id}}, ConsistentRead=True,
        ).get("Item")
        return from_item(item) if item else None

    def history(self, message_id: str | None = None) -> list[dict[str, Any]]:
        """Changes, oldest first: dicts with id, action, by, at, version, before, after (YAML forms or None)."""
        entries = [
            {
                "id": item["message_id"]["S"],
                "action": item["action"]["S"],
                "by": item["by"]["S"],
                "at": item["at"]["S"],
                "version": int(item["version"]["N"]),
                "before": json.loads(item["before"]["S"]),
                "after": json.loads(item["after"]["S"]),
            }
            for item in self._query(HISTORY_PARTITION, prefix=f"{message_id}#" if message_id else None)
        ]
        return sorted(entries, key=lambda e: e["at"])

    def write(self, changes: list[Change], by: str) -> list[Message]:
        """Apply `changes` in one transaction; ConflictError when any message changed meanwhile."""
        if not changes:
            return []
        if len(changes) > MAX_CHANGES_PER_WRITE:
            raise ValueError(f"at most {MAX_CHANGES_PER_WRITE} changes at once, got {len(changes)}: split the file")
        at = iso_utc(utc_now())
        actions, written = [], []
        for change in changes:
            version = (change.before.version if change.before else 0) + 1
            after = change.after.with_audit(by=by, at=at, version=version) if change.after else None
            actions.append(self._message_action(change.before, after))
            actions.append({"Put": {
                "TableName": self.table,
                "Item": {
                    PARTITION_KEY: {"S": HISTORY_PARTITION},
                    SORT_KEY: {"S": f"{change.id}#{at}#v{version}"},
                    "message_id": {"S": change.id},
                    "action": {"S": change.action},
                    "by": {"S": by},
                    "at": {"S": at},
                    "version": {"N": str(version)},
                    "before": {"S": json.dumps(to_document(change.before) if change.before else None)},
                    "after": {"S": json.dumps(to_document(after) if after else None)},
                },
                "ConditionExpression": "attribute_not_exists(#pk)",
                "ExpressionAttributeNames": {"#pk": PARTITION_KEY},
            }})
            if after:
                written.append(after)
        try:
            self.client.transact_write_items(TransactItems=actions)
        except self.client.exceptions.TransactionCanceledException as problem:
            reasons = problem.response.get("CancellationReasons", [])
            failed = [changes[i // 2] for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed" and i % 2 == 0]
            raise ConflictError(_conflict_text(failed or changes)) from None
        return written

    def _message_action(self, before: Message | None, after: Message | None) -> dict[str, Any]:
        names = {"#pk": PARTITION_KEY}
        if before is None:
            assert after is not None, "a change has a before or an after"
            return {"Put": {"TableName": self.table, "Item": to_item(after), "ConditionExpression": "attribute_not_exists(#pk)",
                            "ExpressionAttributeNames": names}}
        condition = {"ConditionExpression": "#version = :version", "ExpressionAttributeNames": {"#version": "version"},
                     "ExpressionAttributeValues": {":version": {"N": str(before.version)}}}
        if after is None:
            key = {PARTITION_KEY: {"S": MESSAGE_PARTITION}, SORT_KEY: {"S": before.id}}
            return {"Delete": {"TableName": self.table, "Key": key, **condition}}
        return {"Put": {"TableName": self.table, "Item": to_item(after), **condition}}

    def _query(self, partition: str, prefix: str | None = None) -> list[dict]:
        query: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "#pk = :pk" + (" AND begins_with(#sk, :prefix)" if prefix else ""),
            "ExpressionAttributeNames": {"#pk": PARTITION_KEY, **({"#sk": SORT_KEY} if prefix else {})},
            "ExpressionAttributeValues": {":pk": {"S": partition}, **({":prefix": {"S": prefix}} if prefix else {})},
            "ConsistentRead": True,
        }
        items: list[dict] = []
        while True:
            page = self.client.query(**query)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _conflict_text(changes: list[Change]) -> str:
    change = changes[0]
    if change.before is None:
        return f"message {change.id} already exists: nothing written; change it with `ivr messages update {change.id}`"
    return (
        f"message {change.id} was changed by someone else since version {change.before.version} was read: "
        f"nothing written; run `ivr messages show {change.id}` and retry with the current version"
    )
