"""The messages table for local runs (the call simulator on moto): same key schema as infra deploys.

    create_messages_table(client, "messages")
    load_messages(client, "messages", "ivr/messages/seed_messages.yaml")

Point the closure check at it with the names in `lambdas.closure_check.environment` (TABLE_ENV, ...).

`start_local_dynamodb()` is `ivr messages local`: moto's server on a loopback port holding
LOCAL_TABLE with the seed messages, the table `ivr messages` and `ivr call --aws-endpoint` share.
"""
from __future__ import annotations

import socket
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lambdas.closure_check.items import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA
from lambdas.messages_editing.documents import load_file, parse_all
from lambdas.messages_editing.store import Change, MessageStore

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer  # imported when a server starts: moto is slow to import

SEED_FILE = Path(__file__).resolve().parent / "seed_messages.yaml"
LOCAL_TABLE = "ivr-local-messages"  # the messages table of every local run
LOCAL_REGION = "us-east-1"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}  # moto takes any


class PortInUse(Exception):
    """The port asked for is taken; the text says which."""


def start_local_dynamodb(port: int = 0) -> tuple[ThreadedMotoServer, str]:
    """(server, endpoint URL): moto on 127.0.0.1:`port` (0: any free port) with LOCAL_TABLE and the seed messages."""
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    if port:  # moto's server would wait for ever on a taken port
        try:
            socket.create_server(("127.0.0.1", port)).close()
        except OSError:
            raise PortInUse(f"port {port} is in use: give --port another (0 for any free port)") from None
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    url = f"http://{host}:{bound}"
    client = boto3.client("dynamodb", endpoint_url=url, region_name=LOCAL_REGION,
                          aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
    create_messages_table(client, LOCAL_TABLE)
    load_messages(client, LOCAL_TABLE, SEED_FILE)
    return server, url


def create_messages_table(dynamodb_client: Any, table_name: str) -> bool:
    """Create the table (on demand, the deployed key schema) and wait until it is active; True once created
    (a table that exists already raises botocore's ResourceInUseException)."""
    dynamodb_client.create_table(
        TableName=table_name, KeySchema=KEY_SCHEMA, AttributeDefinitions=ATTRIBUTE_DEFINITIONS, BillingMode="PAY_PER_REQUEST",
    )
    dynamodb_client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
    return True


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
