"""The messages table for local runs (the call simulator on moto): same key schema as infra deploys.

    create_messages_table(client, "messages")
    load_messages(client, "messages", "ivr/messages/seed_messages.yaml")

Point the closure check at it with the names in `lambdas.closure_check.environment` (TABLE_ENV, ...).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ivr.messages.documents import load_file, parse_all
from ivr.messages.store import Change, MessageStore
from lambdas.closure_check.items import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA

SEED_FILE = Path(__file__).resolve().parent / "seed_messages.yaml"


def create_messages_table(dynamodb_client: Any, table_name: str) -> None:
    """Create the table (on demand, the deployed key schema) and wait until it is active."""
    dynamodb_client.create_table(
        TableName=table_name, KeySchema=KEY_SCHEMA, AttributeDefinitions=ATTRIBUTE_DEFINITIONS, BillingMode="PAY_PER_REQUEST",
    )
    dynamodb_client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})


def load_messages(dynamodb_client: Any, table_name: str, items_or_yaml_path: str | Path | Iterable[Any], by: str = "local") -> int:
    """Add or replace messages (YAML file path, YAML-form dicts or Message objects); returns how many.

    Each write keeps a history entry, as an operator's would. MessageError when one is invalid
    (then nothing is written).
    """
    messages = load_file(items_or_yaml_path) if isinstance(items_or_yaml_path, (str, Path)) else parse_all(items_or_yaml_path)
    store = MessageStore(dynamodb_client, table_name)
    current = {m.id: m for m in store.messages()}
    changes = [Change("UPDATE" if m.id in current else "ADD", current.get(m.id), m) for m in messages]
    for start in range(0, len(changes), 50):
        store.write(changes[start:start + 50], by=by)
    return len(changes)
