"""Reading the event Amazon Connect sends to a Lambda, without trusting its shape.

Connect sends `{"Name": "ContactFlowEvent", "Details": {"ContactData": {...}, "Parameters": {...}}}`.
Parsing is defensive: a flow misconfiguration or a test harness can send anything, and a handler
must answer with a result rather than raise (Connect would retry and the caller would wait).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Connect caps contact attributes at 32 KB in all; a single parameter longer than this is abuse.
MAX_PARAMETER_CHARS = 1024


class InvalidEvent(ValueError):
    """The event is not a usable Connect contact-flow event; the message says why."""


@dataclass(frozen=True)
class ContactEvent:
    contact_id: str
    channel: str
    customer_address: str | None
    parameters: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    queue_name: str | None = None
    queue_arn: str | None = None
    instance_arn: str | None = None
    initiation_method: str | None = None
    language: str | None = None

    @classmethod
    def parse(cls, event: Any) -> ContactEvent:
        if not isinstance(event, Mapping):
            raise InvalidEvent("event is not an object")
        details = event.get("Details")
        if not isinstance(details, Mapping):
            raise InvalidEvent("event has no Details object")
        contact = details.get("ContactData")
        if not isinstance(contact, Mapping):
            raise InvalidEvent("event has no Details.ContactData object")
        contact_id = contact.get("ContactId")
        if not isinstance(contact_id, str) or not contact_id:
            raise InvalidEvent("Details.ContactData.ContactId is missing")
        queue = contact.get("Queue")
        if not isinstance(queue, Mapping):
            queue = {}
        attributes = _string_map(contact.get("Attributes"), "Details.ContactData.Attributes")
        return cls(
            contact_id=contact_id,
            channel=_optional_str(contact.get("Channel")) or "UNKNOWN",
            customer_address=_endpoint_address(contact.get("CustomerEndpoint")),
            parameters=_string_map(details.get("Parameters"), "Details.Parameters"),
            attributes=attributes,
            queue_name=_optional_str(queue.get("Name")),
            queue_arn=_optional_str(queue.get("ARN")),
            instance_arn=_optional_str(contact.get("InstanceARN")),
            initiation_method=_optional_str(contact.get("InitiationMethod")),
            language=_optional_str(contact.get("LanguageCode")) or attributes.get("language"),
        )

    def parameter(self, name: str, default: str = "") -> str:
        return self.parameters.get(name, default)


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _endpoint_address(endpoint: Any) -> str | None:
    if not isinstance(endpoint, Mapping):
        return None
    return _optional_str(endpoint.get("Address"))


def _string_map(value: Any, where: str) -> dict[str, str]:
    """A flat map of strings: Connect sends nothing else; anything else is a broken event."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidEvent(f"{where} is not an object")
    result: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise InvalidEvent(f"{where}.{key} is not a string")
        if len(item) > MAX_PARAMETER_CHARS:
            raise InvalidEvent(f"{where}.{key} is longer than {MAX_PARAMETER_CHARS} characters")
        result[str(key)] = item
    return result
