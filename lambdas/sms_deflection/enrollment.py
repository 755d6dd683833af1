"""Who the caller is to us: enrolled in the app or not, and whether their number is a mobile.

From the customer backend (`GET /customers?phone=`, answer fields `appEnrolled`, `lineType`,
`customerId`) or from a DynamoDB table keyed on `phone` with the same attributes. A lookup that
fails or finds nobody answers UNKNOWN: the caller can still get an SMS (policy
`unknown_line_type`), never a push.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

MOBILE = "MOBILE"
LANDLINE = "LANDLINE"
LINE_TYPES = ("MOBILE", "LANDLINE", "VOIP", "UNKNOWN")


@dataclass(frozen=True)
class Enrollment:
    app_enrolled: bool = False
    line_type: str = "UNKNOWN"  # MOBILE | LANDLINE | VOIP | UNKNOWN
    customer_id: str = ""
    error_kind: str = ""  # why nothing is known: the lookup failed


UNKNOWN = Enrollment()


def from_record(record: Any) -> Enrollment:
    """The fields we use from a backend body or a table item (already plain Python values)."""
    if not isinstance(record, dict):
        return Enrollment(error_kind="MALFORMED")
    line_type = record.get("lineType")
    customer_id = record.get("customerId")
    return Enrollment(
        app_enrolled=record.get("appEnrolled") is True,
        line_type=line_type if line_type in LINE_TYPES else "UNKNOWN",
        customer_id=customer_id if isinstance(customer_id, str) else "",
    )


class TableEnrollment:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def lookup(self, number: str, deadline: Any = None) -> Enrollment:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"phone": {"S": number}},
                ProjectionExpression="appEnrolled, lineType, customerId",
            ).get("Item")
        except (ClientError, BotoCoreError):
            return Enrollment(error_kind="TABLE")
        if not item:
            return UNKNOWN
        return from_record({name: next(iter(value.values())) for name, value in item.items()})
