"""Reading the event Amazon Connect sends to a Lambda, without trusting its shape.

Connect sends `{"Name": "ContactFlowEvent", "Details": {"ContactData": {...}, "Parameters": {...}}}`.
Parsing is defensive: a flow misconfiguration or a test harness can send anything, and a handler
must answer with a result rather than raise (Connect would retry and the caller would wait).

Two kinds of trouble, answered differently:
- `InvalidEvent`: not an event Connect can send (wrong shape, or contact attributes beyond
  Connect's documented 32,768 UTF-8 bytes across all of a contact's attributes). Any single
  attribute may be long: a CRM blob or a bot transcript the function never reads is no problem.
- `InvalidInput`: a value the function reads (declared in its `Reads`) is longer than it takes.
  That is the caller's or the flow's input, answered like any other input the function refuses.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Connect's limit: "up to 32,768 UTF-8 bytes across all attributes for a contact" (keys and values),
# UpdateContactAttributes in the Amazon Connect API Reference.
CONNECT_ATTRIBUTES_MAX_BYTES = 32_768


class InvalidEvent(ValueError):
    """The event is not a usable Connect contact-flow event; the message says why."""


class InvalidInput(ValueError):
    """A value the function reads is longer than it accepts; the message names it (never quotes it)."""


@dataclass(frozen=True)
class Reads:
    """The values of an event a function reads beyond Connect's own contact fields, by name, each with
    the most characters it accepts: `parameters` from the Lambda block's `Details.Parameters`,
    `attributes` from the contact's `Details.ContactData.Attributes`. Reading any other is a bug."""

    parameters: Mapping[str, int] = field(default_factory=dict)
    attributes: Mapping[str, int] = field(default_factory=dict)


NOTHING = Reads()


@dataclass(frozen=True)
class ContactEvent:
    contact_id: str
    channel: str
    customer_address: str | None
    reads: Reads = NOTHING
    parameters: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    queue_name: str | None = None
    queue_arn: str | None = None
    instance_arn: str | None = None
    initiation_method: str | None = None
    language_code: str | None = None

    @classmethod
    def parse(cls, event: Any, reads: Reads = NOTHING) -> ContactEvent:
        """InvalidEvent for an event Connect cannot send; InvalidInput for a value in `reads` over its bound."""
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
        if _utf8_bytes(attributes) > CONNECT_ATTRIBUTES_MAX_BYTES:
            raise InvalidEvent(f"Details.ContactData.Attributes exceed Connect's {CONNECT_ATTRIBUTES_MAX_BYTES} UTF-8 bytes")
        parameters = _string_map(details.get("Parameters"), "Details.Parameters")
        _check_bounds(parameters, reads.parameters, "Details.Parameters")
        _check_bounds(attributes, reads.attributes, "Details.ContactData.Attributes")
        return cls(
            contact_id=contact_id,
            channel=_optional_str(contact.get("Channel")) or "UNKNOWN",
            customer_address=_endpoint_address(contact.get("CustomerEndpoint")),
            reads=reads,
            parameters=parameters,
            attributes=attributes,
            queue_name=_optional_str(queue.get("Name")),
            queue_arn=_optional_str(queue.get("ARN")),
            instance_arn=_optional_str(contact.get("InstanceARN")),
            initiation_method=_optional_str(contact.get("InitiationMethod")),
            language_code=_optional_str(contact.get("LanguageCode")),
        )

    def parameter(self, name: str, default: str = "") -> str:
        """A parameter the function declared it reads (LookupError for any other: a bug, not an input)."""
        if name not in self.reads.parameters:
            raise LookupError(f"parameter {name!r} is not among the function's declared reads")
        return self.parameters.get(name, default)

    def attribute(self, name: str, default: str = "") -> str:
        """A contact attribute the function declared it reads (LookupError for any other)."""
        if name not in self.reads.attributes:
            raise LookupError(f"attribute {name!r} is not among the function's declared reads")
        return self.attributes.get(name, default)

    @property
    def language(self) -> str | None:
        """The contact's language: Connect's LanguageCode, else the flow's `language` attribute (declared in reads)."""
        return self.language_code or self.attribute("language") or None


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
        result[str(key)] = item
    return result


def _utf8_bytes(values: Mapping[str, str]) -> int:
    # surrogatepass: a lone surrogate (valid JSON, never sent by Connect) is counted, not a crash
    return sum(len(key.encode("utf-8", "surrogatepass")) + len(value.encode("utf-8", "surrogatepass")) for key, value in values.items())


def _check_bounds(values: Mapping[str, str], bounds: Mapping[str, int], where: str) -> None:
    for name, most in bounds.items():
        if len(values.get(name, "")) > most:
            raise InvalidInput(f"{where}.{name} is longer than {most} characters")
