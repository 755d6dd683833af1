"""Sending the deflection SMS: AWS End User Messaging SMS or Amazon SNS (the push is in backend.py).

Every sender answers with a `Delivery`, never an exception, and says whether a failure is
*ambiguous*: the request may have reached the service, so the message may be on its way. The
deflection logic never sends again after an ambiguous failure (no second message for one
contact); it may try another way after a failure that proves nothing was sent.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    ReadTimeoutError,
)

SENT = "SENT"
OPTED_OUT = "OPTED_OUT"
FAILED = "FAILED"

# End User Messaging refuses a number on its opt-out list with this ConflictException reason.
_OPTED_OUT_REASON = "DESTINATION_PHONE_NUMBER_OPTED_OUT"


@dataclass(frozen=True)
class Delivery:
    status: str  # SENT | OPTED_OUT | FAILED
    error_kind: str = ""  # with FAILED: TIMEOUT | CONNECTION | THROTTLED | REFUSED | SERVICE, or the backend client's kind for a push
    ambiguous: bool = False  # with FAILED: the message may have been sent all the same
    message_id: str = ""

    @property
    def sent(self) -> bool:
        return self.status == SENT


def aws_failure(error: Exception) -> Delivery:
    """What a botocore exception says about whether the request reached the service."""
    if isinstance(error, (ConnectTimeoutError, EndpointConnectionError)):
        return Delivery(FAILED, "CONNECTION")  # no connection: nothing was sent
    if isinstance(error, ReadTimeoutError):
        return Delivery(FAILED, "TIMEOUT", ambiguous=True)
    if isinstance(error, HTTPClientError):
        return Delivery(FAILED, "CONNECTION", ambiguous=True)  # closed mid-request
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = error.response.get("Error", {}).get("Code", "")
        if status >= 500:
            return Delivery(FAILED, "SERVICE", ambiguous=True)
        if "Throttl" in code or status == 429:
            return Delivery(FAILED, "THROTTLED")
        return Delivery(FAILED, "REFUSED")  # validation, access, quota, unknown identity: not sent
    return Delivery(FAILED, "SERVICE", ambiguous=True)


class EndUserMessagingSender:
    """AWS End User Messaging SMS (`pinpoint-sms-voice-v2` SendTextMessage).

    Opt-outs: the service keeps the opt-out list that carriers' STOP replies feed and refuses a
    number on it (ConflictException, reason DESTINATION_PHONE_NUMBER_OPTED_OUT): one call both
    checks and sends, so the answer is OPTED_OUT without a second round trip.
    """

    channel = "SMS"

    def __init__(self, client: Any, *, origination_identity: str, configuration_set: str = ""):
        self._client = client
        self._origination_identity = origination_identity
        self._configuration_set = configuration_set

    def send(self, number: str, body: str, *, contact_id: str, deadline: Any = None, customer_id: str = "") -> Delivery:
        request = {
            "DestinationPhoneNumber": number,
            "OriginationIdentity": self._origination_identity,
            "MessageBody": body,
            "MessageType": "TRANSACTIONAL",
            "Context": {"contactId": contact_id},  # lands in the configuration set's event records
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        try:
            answer = self._client.send_text_message(**request)
        except ClientError as error:
            if error.response.get("Reason") == _OPTED_OUT_REASON:
                return Delivery(OPTED_OUT)
            return aws_failure(error)
        except Exception as error:  # noqa: BLE001 - every failure becomes an answer
            return aws_failure(error)
        return Delivery(SENT, message_id=answer.get("MessageId", ""))


class SnsSender:
    """Amazon SNS `Publish` to a phone number, after SNS's own opt-out check.

    SNS accepts a publish to an opted-out number and silently drops it, so the check comes first;
    when the check itself fails the message is published anyway (SNS still drops it for an
    opted-out number, and the caller is not refused for our failure).
    """

    channel = "SMS"

    def __init__(self, client: Any, *, origination_number: str = "", on_check_failed: Callable[[Delivery], None] | None = None):
        self._client = client
        self._attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if origination_number:
            self._attributes["AWS.MM.SMS.OriginationNumber"] = {"DataType": "String", "StringValue": origination_number}
        self._on_check_failed = on_check_failed

    def send(self, number: str, body: str, *, contact_id: str, deadline: Any = None, customer_id: str = "") -> Delivery:
        try:
            if self._client.check_if_phone_number_is_opted_out(phoneNumber=number).get("isOptedOut"):
                return Delivery(OPTED_OUT)
        except Exception as error:  # noqa: BLE001
            if self._on_check_failed:
                self._on_check_failed(aws_failure(error))
        try:
            answer = self._client.publish(PhoneNumber=number, Message=body, MessageAttributes=self._attributes)
        except Exception as error:  # noqa: BLE001
            return aws_failure(error)
        return Delivery(SENT, message_id=answer.get("MessageId", ""))

