"""Verifying a caller with a one-time code sent by text to the mobile number on file (issue 17).

Plain logic over the backend client, the code store, two rate limiters and an SMS sender; no
Connect event, no environment. Each step answers an `Answer`: a step result the flow module
branches on (SENT, WRONG_CODE, EXPIRED) or a final one it returns as the contact attribute
`verification` (VERIFIED, FAILED, LOCKED, UNAVAILABLE) with a `reason` the agent reads.

- send: the customer who owns the calling number (`GET /customers?phone=`), not locked out, with
  a mobile number on file, within the rate limits (codes per customer and per calling number),
  gets a 6-digit code from `secrets` on that mobile (never on the calling number unless it is that
  one). Only the code's HMAC is stored. A request Connect retries sends nothing more; one resend.
- check: the entered code against the stored HMAC (`hmac.compare_digest`); at most
  `max_attempts` entries per code. Every wrong entry counts towards the customer's lockout,
  across calls; a match clears the count.
- check_secret: for a customer without a mobile on file, a PIN (or a date of birth) keyed with
  Connect's encrypted input, decrypted here (`encrypted_input`) and asked of the backend
  (`POST /customers/{id}/verification`). One entry per call; a wrong one counts towards the same
  lockout as a wrong code. The plain value is never logged, answered or stored.
"""
from __future__ import annotations

import re
import secrets
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from lambdas.caller_verification import codes, encrypted_input
from lambdas.caller_verification.settings import CODE_DIGITS
from lambdas.common.deadline import Deadline
from lambdas.common.http import BackendClient, BackendError
from lambdas.common.phone import normalize_e164
from lambdas.sms_deflection.rate_limit import StoreError as RateLimitStoreError

# Step results
SENT = "SENT"
WRONG_CODE = "WRONG_CODE"
EXPIRED = "EXPIRED"
CHOSE_AGENT = "CHOSE_AGENT"  # the caller keyed 0 for someone where a PIN was asked
# Final results: the value of the contact attribute `verification`
VERIFIED = "VERIFIED"
FAILED = "FAILED"
LOCKED = "LOCKED"
UNAVAILABLE = "UNAVAILABLE"

# Reasons, as the agent reads them in `verification_reason`
CODE_MATCHED = "code sent by text matched"
WRONG_TOO_OFTEN = "wrong code entered too many times"
NO_MORE_CODES = "a new code was already sent once"
LOCKED_OUT = "locked after repeated wrong codes; try again later"
NUMBER_WITHHELD = "the caller's number is withheld"
NOT_ON_FILE = "the caller's number is not on file"
NO_MOBILE = "no mobile number on file"
TOO_MANY_CODES = "too many codes requested"
NOT_SENT = "the code could not be sent"
PIN_MATCHED = "PIN matched"
WRONG_PIN = "wrong PIN entered"
NO_PIN = "no mobile number or PIN on file"
PIN_UNREADABLE = "the PIN could not be read"
SYSTEM_DOWN = "verification is unavailable"

PIN = re.compile(r"[0-9]{4,8}")  # as the backend contract's VerificationRequest
DATE_OF_BIRTH = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Time planning inside the budget (as SMS deflection's): the send starts only with `sms_seconds`
# left; the customer lookup gets what remains after the send and TABLE_RESERVE_SECONDS.
TABLE_RESERVE_SECONDS = 0.5
MIN_LOOKUP_SECONDS = 0.2


@dataclass(frozen=True)
class Answer:
    result: str
    reason: str = ""
    mobile_last_digits: str = ""
    attempts_left: int = 0
    error_kind: str = ""
    pin_on_file: bool = False  # with NO_MOBILE: the module may ask for the PIN instead

    def fields(self) -> dict[str, Any]:
        verification = self.result if self.result in (VERIFIED, FAILED, LOCKED, UNAVAILABLE) else ""
        return {"verification": verification, "reason": self.reason, "mobile_last_digits": self.mobile_last_digits,
                "attempts_left": self.attempts_left, "error_kind": self.error_kind,
                "pin_on_file": "true" if self.pin_on_file else "false"}


class Sender(Protocol):
    def send(self, number: str, body: str, *, contact_id: str, deadline: Any = None, customer_id: str = "") -> Any: ...


class Limiter(Protocol):
    def acquire(self, number: str, contact_id: str, deadline: Any) -> bool: ...


class InputKey(Protocol):
    def decrypt(self, stored: str, deadline: Any) -> str: ...


@dataclass(frozen=True)
class Customer:
    customer_id: str
    mobile: str  # E.164, or "" when none is on file
    pin_on_file: bool = False


def verification_result(status: int, data: Any) -> Any:
    """The backend's verification answer, checked: True only for `{"verified": true}`."""
    if not isinstance(data, dict) or not isinstance(data.get("verified"), bool):
        raise ValueError("verification body without verified")
    return data["verified"]


def customer_record(status: int, data: Any) -> Any:
    """The backend's customer body, checked (`BackendClient.call`'s `expect`); None for 404."""
    if status == 404:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("customerId"), str) or not data["customerId"]:
        raise ValueError("customer body without customerId")
    return data


class Verifier:
    def __init__(self, *, backend: BackendClient, store: codes.CodeStore, sender: Sender, per_customer: Limiter,
                 per_number: Limiter, message: Callable[[str, str | None], str], sms_seconds: float = 2.0, input_key: InputKey | None = None,
                 new_code: Callable[[], str] = lambda: f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"):
        self._backend = backend
        self._store = store
        self._sender = sender
        self._per_customer = per_customer
        self._per_number = per_number
        self._message = message
        self._sms_seconds = sms_seconds
        self._new_code = new_code
        self._input_key = input_key

    def send(self, contact_id: str, caller: str | None, deadline: Any, *, resend: bool = False,
             language: str | None = None) -> Answer:
        """Text a code to the calling number's customer, in `language` (the call's)."""
        number = normalize_e164(caller)
        if number is None:
            return Answer(UNAVAILABLE, NUMBER_WITHHELD)
        try:
            customer = self._customer(number, deadline)
        except BackendError as error:
            return Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=error.kind)
        if customer is None:
            return Answer(UNAVAILABLE, NOT_ON_FILE)
        try:
            return self._send(contact_id, number, customer, deadline, resend, language)
        except (codes.StoreError, RateLimitStoreError) as error:
            return Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=f"STORE {error}".strip())

    def check(self, contact_id: str, code: str, deadline: Any) -> Answer:
        entered = code.strip().removesuffix("#")
        try:
            found, customer = self._store.check(contact_id, entered if entered.isdigit() else "-", deadline)
            if found.found == codes.MATCHED:
                if customer:
                    self._store.clear_failures(customer)
                return Answer(VERIFIED, CODE_MATCHED)
            if found.found in (codes.EXPIRED, codes.NO_CODE):
                return Answer(EXPIRED, "the code expired")
            if found.found == codes.LOCKED_OUT:
                return Answer(LOCKED, LOCKED_OUT)
            if customer and self._store.record_failure(customer):
                self._store.forget(contact_id)
                return Answer(LOCKED, LOCKED_OUT)
            if found.found == codes.EXHAUSTED:
                return Answer(FAILED, WRONG_TOO_OFTEN)
            return Answer(WRONG_CODE, attempts_left=found.attempts_left)
        except codes.StoreError as error:
            return Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=f"STORE {error}".strip())

    def check_secret(self, caller: str | None, stored: str, deadline: Any) -> Answer:
        """The PIN (or date of birth) in `stored`, Connect's encrypted input, for the calling number's customer.
        A decrypted "0" is the caller asking for someone (CHOSE_AGENT): the flow cannot read the input itself."""
        number = normalize_e164(caller)
        if number is None:
            return Answer(UNAVAILABLE, NUMBER_WITHHELD)
        if self._input_key is None:
            return Answer(UNAVAILABLE, PIN_UNREADABLE, error_kind="KEY_ERROR")
        try:
            entered = self._input_key.decrypt(stored, deadline)
        except encrypted_input.UnreadableInput as problem:
            return Answer(UNAVAILABLE, PIN_UNREADABLE, error_kind=problem.kind)
        if entered == "0":
            return Answer(CHOSE_AGENT)
        try:
            customer = self._customer(number, deadline, reserve=TABLE_RESERVE_SECONDS * 2)
        except BackendError as error:
            return Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=error.kind)
        if customer is None:
            return Answer(UNAVAILABLE, NOT_ON_FILE)
        if not customer.pin_on_file:
            return Answer(UNAVAILABLE, NO_PIN)
        try:
            key = self._store.customer_key(customer.customer_id, deadline)
            if self._store.locked(key):
                return Answer(LOCKED, LOCKED_OUT)
            try:
                verified = self._matches(customer.customer_id, entered, deadline)
            except BackendError as error:
                return Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=error.kind)
            if verified:
                self._store.clear_failures(key)
                return Answer(VERIFIED, PIN_MATCHED)
            if self._store.record_failure(key):
                return Answer(LOCKED, LOCKED_OUT)
            return Answer(FAILED, WRONG_PIN)
        except codes.StoreError as error:
            return Answer(UNAVAILABLE, SYSTEM_DOWN, error_kind=f"STORE {error}".strip())

    def _matches(self, customer_id: str, entered: str, deadline: Any) -> bool:
        """Whether the backend says `entered` is the customer's PIN (or date of birth); input that can
        be neither is wrong without asking."""
        field = "pin" if PIN.fullmatch(entered) else "dateOfBirth" if DATE_OF_BIRTH.fullmatch(entered) else ""
        if not field:
            return False
        seconds = deadline.remaining() - TABLE_RESERVE_SECONDS
        if seconds < MIN_LOOKUP_SECONDS:
            raise BackendError("NO_TIME", timeout=True)
        path = f"/customers/{urllib.parse.quote(customer_id, safe='')}/verification"
        return bool(self._backend.call("POST", path, Deadline(seconds), operation="verify_customer", body={field: entered},
                                       answers=(), expect=verification_result).data)

    def _customer(self, number: str, deadline: Any, *, reserve: float | None = None) -> Customer | None:
        """The calling number's customer; the lookup leaves `reserve` seconds (by default the SMS send's and the table's)."""
        remaining = deadline.remaining()
        after = self._sms_seconds + TABLE_RESERVE_SECONDS if reserve is None else reserve
        seconds = min(remaining / 2, remaining - after)
        if seconds < MIN_LOOKUP_SECONDS:
            raise BackendError("NO_TIME", timeout=True)
        response = self._backend.call("GET", "/customers", Deadline(seconds), operation="customer_for_verification",
                                      query={"phone": number}, expect=customer_record)
        if response.data is None:
            return None
        mobile = response.data.get("mobilePhone")
        # A PIN is offered only when this function holds the key to read it (verification.pin_certificate).
        return Customer(response.data["customerId"], normalize_e164(mobile if isinstance(mobile, str) else None) or "",
                        pin_on_file=response.data.get("pinOnFile") is True and self._input_key is not None)

    def _send(self, contact_id: str, number: str, customer: Customer, deadline: Any, resend: bool,
              language: str | None) -> Answer:
        key = self._store.customer_key(customer.customer_id, deadline)
        if self._store.locked(key):
            return Answer(LOCKED, LOCKED_OUT)
        if not customer.mobile:
            return Answer(UNAVAILABLE, NO_MOBILE, pin_on_file=customer.pin_on_file)
        ending = customer.mobile[-2:]
        if not (self._per_customer.acquire(f"customer\0{customer.customer_id}", contact_id, deadline)
                and self._per_number.acquire(number, contact_id, deadline)):
            return Answer(UNAVAILABLE, TOO_MANY_CODES)
        code = self._new_code()
        started = self._store.start(contact_id, key, code, resend=resend, deadline=deadline)
        if started == codes.REPEAT:
            return Answer(SENT, mobile_last_digits=ending)
        if started == codes.NO_MORE:
            return Answer(FAILED, NO_MORE_CODES)
        if deadline.remaining() < self._sms_seconds:
            self._store.forget(contact_id)
            return Answer(UNAVAILABLE, NOT_SENT, error_kind="NO_TIME", pin_on_file=customer.pin_on_file)
        delivery = self._sender.send(customer.mobile, self._message(code, language), contact_id=contact_id, deadline=deadline)
        if not delivery.sent and not delivery.ambiguous:
            self._store.forget(contact_id)  # nothing went out: the code can never be entered
            return Answer(UNAVAILABLE, NOT_SENT, error_kind=delivery.error_kind or delivery.status, pin_on_file=customer.pin_on_file)
        return Answer(SENT, mobile_last_digits=ending)  # an ambiguous failure may still arrive: the caller can ask again
