"""The messages table (MSG-1): its key schema, and a message as a DynamoDB item (low-level attribute values).

Table layout (one table, two item types, key `pk` + `sk`, both strings):

    pk = "MESSAGE"   sk = <message id>                       the messages themselves
    pk = "HISTORY"   sk = <message id>#<UTC instant>#v<ver>  one item per change (who, when, before, after)

Every message that can apply to any call lives in the one MESSAGE partition: the closure check
reads it with a single Query per cache period (a contact center has tens of messages, far below
the 1 MB a query page returns) and picks, in memory, what applies to this call's queue and flow.
History sits in its own partition, so that query never reads it, and an operator lists it with
a Query too (all of it, or one message's with begins_with).

Reading and writing the low-level attribute format here keeps boto3 out of the Lambda: it needs only botocore.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from lambdas.closure_check.model import Message, Window

# Infra (CDK) and the local simulator both build the table from these.
PARTITION_KEY = "pk"
SORT_KEY = "sk"
MESSAGE_PARTITION = "MESSAGE"
HISTORY_PARTITION = "HISTORY"
KEY_SCHEMA = [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"}, {"AttributeName": SORT_KEY, "KeyType": "RANGE"}]
ATTRIBUTE_DEFINITIONS = [{"AttributeName": PARTITION_KEY, "AttributeType": "S"}, {"AttributeName": SORT_KEY, "AttributeType": "S"}]


def to_item(message: Message) -> dict[str, dict]:
    window = message.window
    return {
        PARTITION_KEY: {"S": MESSAGE_PARTITION},
        SORT_KEY: {"S": message.id},
        "scope": {"S": message.scope},
        "kind": {"S": message.kind},
        "effect": {"S": message.effect},
        "texts": {"M": {language: {"S": text} for language, text in message.texts.items()}},
        "window": {"M": {k: {"S": v} for k, v in asdict(window).items()}},
        "priority": {"N": str(message.priority)},
        "enabled": {"BOOL": message.enabled},
        "updated_by": {"S": message.updated_by},
        "updated_at": {"S": message.updated_at},
        "version": {"N": str(message.version)},
    }


def from_item(item: Mapping[str, Mapping[str, Any]]) -> Message:
    window = {k: v["S"] for k, v in item.get("window", {}).get("M", {}).items()}
    return Message(
        id=item[SORT_KEY]["S"],
        scope=item["scope"]["S"],
        kind=item["kind"]["S"],
        effect=item["effect"]["S"],
        texts={language: v["S"] for language, v in item["texts"]["M"].items()},
        window=Window(**window),
        priority=int(item["priority"]["N"]),
        enabled=item["enabled"]["BOOL"],
        updated_by=item.get("updated_by", {}).get("S", ""),
        updated_at=item.get("updated_at", {}).get("S", ""),
        version=int(item.get("version", {}).get("N", "0")),
    )

