"""What a handler is given, as the tests build it: the event Amazon Connect sends, Lambda's context,
and the environment infra gives the function."""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

CONTACT_ID = "c0ffee00-1111-2222-3333-444455556666"
CALLER = "+14155550123"
INSTANCE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555"


def connect_event(parameters: dict | None = None, *, contact_id: str = CONTACT_ID, channel: str = "VOICE",
                  address: str | None = CALLER, attributes: dict | None = None, **contact_fields: Any) -> dict:
    """A ContactFlowEvent as Connect invokes a Lambda with. `address=None` leaves out the
    CustomerEndpoint (a withheld number); `contact_fields` add or replace ContactData fields as
    given (`CustomerEndpoint=None` is the null a task carries)."""
    contact: dict[str, Any] = {"ContactId": contact_id, "Channel": channel, "InitiationMethod": "INBOUND",
                               "InstanceARN": INSTANCE_ARN, "Attributes": attributes or {}}
    if address is not None:
        contact["CustomerEndpoint"] = {"Address": address, "Type": "TELEPHONE_NUMBER"}
    contact.update(contact_fields)
    return {"Name": "ContactFlowEvent", "Details": {"ContactData": contact, "Parameters": parameters or {}}}


class LambdaContext:
    """The parts of Lambda's context our handlers and Powertools read; its time runs out like Lambda's."""

    function_name = "test-function"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:111122223333:function:test-function"
    aws_request_id = "test-request"

    def __init__(self, remaining_ms: int = 30_000):
        self._ends = time.monotonic() + remaining_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self._ends - time.monotonic()) * 1000)


def crowded_attributes() -> dict[str, str]:
    """Contact attributes a busy contact center sets, none of which a function reads: a 5,000-character
    CRM blob and a bot transcript, 30 KB of UTF-8 in all (Connect allows 32,768 bytes)."""
    attributes = {"crm_blob": "x" * 5000, "bot_transcript": "¿señor? " * 2500}  # 8 characters, 10 bytes each
    attributes["notes"] = "n" * (30 * 1024 - sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items()) - len("notes"))
    return attributes


def attributes_over_connects_limit() -> dict[str, str]:
    """One byte more than Connect's 32,768 UTF-8 bytes across a contact's attributes: no event Connect sends."""
    return {"a": "é" * 16_383 + "xx"}  # 1 + 32,766 + 2 bytes


def function_environment(monkeypatch: Any, values: Mapping[str, str], built: Any) -> Callable[..., None]:
    """Set `values` as the function's environment; returns a setter for more, which also forgets the
    service the container built from it (`built`, an lru_cache), as a new container would."""
    for name, value in values.items():
        monkeypatch.setenv(name, value)

    def set_env(**more: str) -> None:
        for name, value in more.items():
            monkeypatch.setenv(name, value)
        built.cache_clear()

    return set_env
