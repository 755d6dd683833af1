"""What the local call simulator uses: the table with the deployed schema, loaded from YAML or dicts."""
from __future__ import annotations

import pytest

from ivr.messages.local import SEED_FILE, create_messages_table, load_messages
from lambdas.closure_check.items import KEY_SCHEMA
from lambdas.closure_check.model import MessageError
from lambdas.messages_editing.store import MessageStore


def test_create_and_load(dynamodb):
    create_messages_table(dynamodb, "local-messages")
    assert dynamodb.describe_table(TableName="local-messages")["Table"]["KeySchema"] == KEY_SCHEMA
    assert load_messages(dynamodb, "local-messages", SEED_FILE) == 7
    assert load_messages(dynamodb, "local-messages", [
        {"id": "christmas-day", "scope": "center", "kind": "HOLIDAY", "effect": "ANNOUNCE", "window": {"start": "12-25"},
         "text": {"en-US": "Merry Christmas."}},
    ]) == 1
    store = MessageStore(dynamodb, "local-messages")
    assert len(store.messages()) == 7 and store.get("christmas-day").effect == "ANNOUNCE" and store.get("christmas-day").version == 2
    with pytest.raises(MessageError, match="unknown language code"):
        load_messages(dynamodb, "local-messages", [{"id": "x", "scope": "center", "kind": "HOLIDAY", "effect": "CLOSE", "text": {"en": "Hi"}}])
    assert store.get("x") is None
