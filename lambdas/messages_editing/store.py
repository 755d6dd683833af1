"""The messages table as operators change it (MSG-3, MSG-4): conditional writes and a history entry per change.

Every change is one DynamoDB transaction: the message write, conditional on the version the
operator started from (or on the message not existing yet), plus a history item (who, when,
before and after). A concurrent edit makes the condition fail and nothing is written: no edit is
ever lost silently. `apply` writes all its changes in one transaction, so a file applies entirely
or not at all.

When DynamoDB's answer to a write is lost (a timeout, a dropped connection, a 5xx, or a conflict
that may be our own retried attempt), the write may have landed: the store then reads back the
history item the transaction wrote (its key is unique to this write) and reports what is really
stored, never a guess.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from lambdas.closure_check.items import HISTORY_PARTITION, MESSAGE_PARTITION, PARTITION_KEY, SORT_KEY, from_item, to_item
from lambdas.closure_check.model import Message, MessageError, iso_utc, utc_now
from lambdas.messages_editing.documents import from_document, to_document

# Why DynamoDB cancels a transaction when someone else changed the message, or was changing it at that moment.
_CONFLICTS = ("ConditionalCheckFailed", "TransactionConflict")
MAX_CHANGES_PER_WRITE = 50  # a DynamoDB transaction holds 100 actions: a message and its history item each


class ConflictError(Exception):
    """Someone else changed (or added, or deleted) the message since it was read; nothing was written."""


class WriteFailed(Exception):
    """DynamoDB failed the write: the text says whether reading back found it stored or not, or could not tell."""


@dataclass(frozen=True)
class Change:
    action: str  # ADD | UPDATE | ENABLE | DISABLE | DELETE | RESTORE
    before: Message | None
    after: Message | None

    @property
    def id(self) -> str:
        return (self.after or self.before).id  # type: ignore[union-attr]


class MessageStore:
    def __init__(self, client: Any, table: str, say: Callable[[str], None] = lambda text: None) -> None:
        self.client, self.table = client, table
        self.say = say  # how the store tells the operator what it found after a lost answer
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
        """Changes, oldest first: dicts with id, action, by (an identity), note ("" or the operator's), at, version,
        before, after (YAML forms or None)."""
        entries = [
            {
                "id": item["message_id"]["S"],
                "action": item["action"]["S"],
                "by": item["by"]["S"],
                "note": item.get("note", {}).get("S", ""),
                "at": item["at"]["S"],
                "version": int(item["version"]["N"]),
                "before": json.loads(item["before"]["S"]),
                "after": json.loads(item["after"]["S"]),
            }
            for item in self._query(HISTORY_PARTITION, prefix=f"{message_id}#" if message_id else None)
        ]
        return sorted(entries, key=lambda e: e["at"])

    def restoration(self, message_id: str, version: int | None = None) -> tuple[Message | None, Message, int]:
        """(the message now or None if deleted, the message to store to bring back `version`, that version):
        by default the version before the last change, which undoes it. MessageError when there is none."""

        current = self.get(message_id)
        history = self.history(message_id)
        versions = {entry["version"]: entry["after"] for entry in history if entry["after"]}
        if not versions:
            raise MessageError(f"no history for {message_id!r}: nothing to restore")
        last = max(entry["version"] for entry in history)  # a deletion is a version too
        wanted = last - 1 if version is None else version
        if wanted not in versions:
            raise MessageError(f"{message_id} has no version {wanted} to restore: its history has {', '.join(map(str, sorted(versions)))}")
        document = {key: value for key, value in versions[wanted].items() if key not in ("version", "updated_by", "updated_at")}
        return current, replace(from_document(document), version=last), wanted

    def write(self, changes: list[Change], by: str, note: str = "") -> list[Message]:
        """Apply `changes` in one transaction, by the identity `by` (with the operator's `note`, if any);
        ConflictError when any message changed meanwhile."""
        if not changes:
            return []
        if len(changes) > MAX_CHANGES_PER_WRITE:
            raise ValueError(f"at most {MAX_CHANGES_PER_WRITE} changes at once, got {len(changes)}: split the file")
        at = iso_utc(utc_now())
        actions: list[dict[str, Any]] = []
        written = []
        for change in changes:
            # Numbering goes on from the message's last version, also when a deleted one is restored.
            version = (change.before or change.after).version + 1  # type: ignore[union-attr]
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
                    **({"note": {"S": note}} if note else {}),
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
        except Exception as problem:
            if not _answer_may_be_lost(problem):
                raise
            if self._stored(actions[1]["Put"]["Item"][SORT_KEY]["S"], changes[0].id, problem):
                self.say(f"DynamoDB's answer was lost ({_one_line(problem)}); read back: the change is stored")
                return written
            reasons = (getattr(problem, "response", None) or {}).get("CancellationReasons", [])
            failed = [changes[i // 2] for i, r in enumerate(reasons) if r.get("Code") in _CONFLICTS and i % 2 == 0]
            if failed:
                raise ConflictError(_conflict_text(failed)) from None
            raise WriteFailed(f"{_one_line(problem)}; read back: nothing written") from None
        return written

    def _stored(self, history_key: str, message_id: str, problem: Exception) -> bool:
        """Whether the transaction that wrote `history_key` landed (read back with a consistent read)."""
        try:
            item = self.client.get_item(TableName=self.table, Key={PARTITION_KEY: {"S": HISTORY_PARTITION}, SORT_KEY: {"S": history_key}},
                                        ConsistentRead=True).get("Item")
        except Exception as again:
            raise WriteFailed(
                f"{_one_line(problem)}, and reading back failed too ({_one_line(again)}): whether the change is stored is unknown; "
                f"look with `ivr messages history {message_id}`") from None
        return item is not None

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


def _answer_may_be_lost(problem: Exception) -> bool:
    """A failure after which the write may still have landed."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(problem, BotoCoreError):  # timeouts, dropped connections
        return True
    if isinstance(problem, ClientError):
        response: dict[str, Any] = problem.response
        code = response.get("Error", {}).get("Code")
        return code == "TransactionCanceledException" or response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    return False


def _one_line(problem: Exception) -> str:
    return " ".join(str(problem).split())


def _conflict_text(changes: list[Change]) -> str:
    change = changes[0]
    if change.before is None:
        return f"message {change.id} already exists: nothing written; change it with `ivr messages update {change.id}`"
    return (
        f"message {change.id} was changed by someone else since version {change.before.version} was read: "
        f"nothing written; run `ivr messages show {change.id}` and retry with the current version"
    )
