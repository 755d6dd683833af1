"""Data access of the hours-overrides function: the messages table (read) and Connect's hours of operation.

Both clients come from botocore (no boto3 in the function), with botocore's standard retries: the
function is off every caller's path, so a throttled call waits and tries again instead of failing
the batch.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from lambdas.closure_check.items import MESSAGE_PARTITION, PARTITION_KEY, SORT_KEY, from_item
from lambdas.closure_check.model import Message, validate
from lambdas.common.observability import logger
from lambdas.hours_overrides.overrides import Hours, Plan


def client(service: str) -> Any:
    import botocore.session
    from botocore.config import Config

    return botocore.session.get_session().create_client(service, config=Config(retries={"mode": "standard", "max_attempts": 5}))


def read_messages(dynamodb: Any, table: str) -> list[Message]:
    """Every message of the table (one partition), read after the edit that triggered the function."""
    query: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": PARTITION_KEY},
        "ExpressionAttributeValues": {":pk": {"S": MESSAGE_PARTITION}},
        "ConsistentRead": True,
    }
    messages: list[Message] = []
    while True:
        page = dynamodb.query(**query)
        for item in page.get("Items", []):
            try:
                messages.append(validate(from_item(item)))
            except (KeyError, ValueError, TypeError) as problem:  # as the closure check does: skip it, keep the others
                logger.error("skipping a malformed message item", extra={"sk": str(item.get(SORT_KEY)), "problem": repr(problem)})
        if "LastEvaluatedKey" not in page:
            return messages
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class ConnectHours:
    """One instance's hours of operation, by hours id."""

    def __init__(self, connect: Any, instance_id: str) -> None:
        self.connect = connect
        self.instance_id = instance_id

    def describe(self, hours_id: str) -> Hours:
        answer = self.connect.describe_hours_of_operation(InstanceId=self.instance_id, HoursOfOperationId=hours_id)
        return Hours.from_connect(answer["HoursOfOperation"])

    def overrides(self, hours_id: str) -> Iterator[dict[str, Any]]:
        request: dict[str, Any] = {"InstanceId": self.instance_id, "HoursOfOperationId": hours_id, "MaxResults": 100}
        while True:
            page = self.connect.list_hours_of_operation_overrides(**request)
            yield from page.get("HoursOfOperationOverrideList", [])
            if not page.get("NextToken"):
                return
            request["NextToken"] = page["NextToken"]

    def apply(self, hours_id: str, plan: Plan) -> None:
        """Deletions first: they make room for what is created."""
        where = {"InstanceId": self.instance_id, "HoursOfOperationId": hours_id}
        for override_id in plan.delete:
            # Gone already (a replayed batch, or deleted in the console) is what was wanted.
            with contextlib.suppress(self.connect.exceptions.ResourceNotFoundException):
                self.connect.delete_hours_of_operation_override(**where, HoursOfOperationOverrideId=override_id)
        for override_id, override in plan.update:
            self.connect.update_hours_of_operation_override(**where, HoursOfOperationOverrideId=override_id, **override.fields())
        for override in plan.create:
            self.connect.create_hours_of_operation_override(**where, **override.fields())
