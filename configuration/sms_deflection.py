"""Context object `sms_deflection`: SMS / app deflection (CX-10, DD-4), every key optional."""
from __future__ import annotations

import re
import string
from typing import Annotated, Any, Literal, Self

from pydantic import ValidationInfo, field_validator, model_validator

from configuration.settings import HTTPS_URL, Section, invalid, listed, one_of, optional_text, read_text, text, whole

_SMS_VOICE_ARN = re.compile(r"arn:aws[a-z-]*:sms-voice:[a-z]{2}(-[a-z]+)+-\d:\d{12}:(phone-number|pool|sender-id)/[A-Za-z0-9_/+-]{1,128}").fullmatch
_SMS_CONFIGURATION_SET = re.compile(r"[A-Za-z0-9_-]{1,64}").fullmatch
_DYNAMODB_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}").fullmatch
_OPT_OUT_WORD = re.compile(r"[A-Z]{2,20}").fullmatch
_TEMPLATE_FIELDS = {"brand", "minutes", "opt_out_word"}
DEFAULT_SMS_TEMPLATE = (
    "Thanks for choosing to text {brand}. Reply with your question and an agent will answer within "
    "{minutes} minutes. Reply {opt_out_word} to opt out."
)
MAX_SMS_CHARS = 1600  # SNS and End User Messaging both refuse longer bodies

Channel = Literal["end_user_messaging", "sns"]
EnrollmentSource = Literal["backend", "table", "none"]
UnknownLineType = Literal["send", "refuse"]


class SmsConfig(Section):
    """`channel` end_user_messaging sends with AWS End User Messaging SMS (`pinpoint-sms-voice-v2`)
    from `origination_identity` (the ARN of a phone number, pool or sender id: IAM is scoped to
    it); sns publishes to the number (origination number optional, E.164). The message is the
    template rendered at synth with {brand}, {minutes} and {opt_out_word}. Callers enrolled in the
    app (`enrollment_source` backend: `GET /customers?phone=`; table: a DynamoDB table keyed on
    `phone`; none) get a push through `push_webhook_url` when one is set. `unknown_line_type`
    says what happens when nobody knows whether the number is a mobile (send or refuse; VOIP
    counts as unknown). A number gets at most `rate_limit_max_messages` per
    `rate_limit_window_minutes` (fixed windows), whatever the flows do. Opt-outs are the sending
    service's own list (End User Messaging refuses an opted-out number; SNS is asked first).

    A setting that depends on another comes after it: its check reads the earlier one.
    """

    channel: Annotated[Channel, one_of(Channel)] = "sns"
    origination_identity: str = ""
    configuration_set: str = ""
    brand_name: Annotated[str, text()] = "us"
    reply_within_minutes: Annotated[int, whole(1, 1440)] = 15
    opt_out_words: Annotated[
        tuple[str, ...], listed("upper-case keywords like 'STOP'", _OPT_OUT_WORD, at_least_one="must list at least one keyword, like 'STOP'")
    ] = ("STOP",)
    message_template: Annotated[str, text()] = DEFAULT_SMS_TEMPLATE
    enrollment_source: Annotated[EnrollmentSource, one_of(EnrollmentSource)] = "backend"
    enrollment_table_name: str = ""
    push_webhook_url: Annotated[str, optional_text("an https:// URL or empty", HTTPS_URL)] = ""
    unknown_line_type: Annotated[UnknownLineType, one_of(UnknownLineType)] = "send"
    rate_limit_max_messages: Annotated[int, whole(1, 100)] = 3
    rate_limit_window_minutes: Annotated[int, whole(1, 10080)] = 1440

    @field_validator("origination_identity", mode="plain")
    @classmethod
    def _origination_fits_the_channel(cls, value: Any, info: ValidationInfo) -> str:
        if info.data.get("channel") == "end_user_messaging":
            return read_text(
                value, "the ARN of an End User Messaging phone number, pool or sender id (arn:aws:sms-voice:REGION:ACCOUNT:phone-number/ID)", _SMS_VOICE_ARN
            )
        from phone_numbers import is_e164  # phonenumbers' metadata costs import time; only a given number needs it

        if value != "" and not is_e164(value):
            raise invalid(f"must be an E.164 origination number for channel sns, or empty, got {value!r}")
        return str(value)

    @field_validator("configuration_set", mode="plain")
    @classmethod
    def _configuration_set_only_for_end_user_messaging(cls, value: Any, info: ValidationInfo) -> str:
        if value != "" and (info.data.get("channel") != "end_user_messaging" or not isinstance(value, str) or not _SMS_CONFIGURATION_SET(value)):
            raise invalid(f"must be an End User Messaging configuration set name (channel end_user_messaging only), got {value!r}")
        return str(value)

    @field_validator("enrollment_table_name", mode="plain")
    @classmethod
    def _table_only_for_enrollment_by_table(cls, value: Any, info: ValidationInfo) -> str:
        if info.data.get("enrollment_source") != "table":
            return ""  # read only when enrollment_source is table
        return read_text(value, "a DynamoDB table name", _DYNAMODB_TABLE_NAME)

    @model_validator(mode="after")
    def _complete_and_sendable(self) -> Self:
        # A check above runs only on a key given; these are the keys another setting requires.
        if self.channel == "end_user_messaging" and not self.origination_identity:
            raise invalid("is missing", key="origination_identity")
        if self.enrollment_source == "table" and not self.enrollment_table_name:
            raise invalid("is missing", key="enrollment_table_name")
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(self.message_template) if name is not None}
        except ValueError as problem:
            raise invalid(f"is not a valid template ({problem}); write literal braces as {{{{ and }}}}", key="message_template") from None
        if not fields <= _TEMPLATE_FIELDS:
            raise invalid(f"may use only {{brand}}, {{minutes}} and {{opt_out_word}}, got {sorted(fields - _TEMPLATE_FIELDS)}", key="message_template")
        message = self.message
        if not any(re.search(rf"\b{word}\b", message) for word in self.opt_out_words):
            raise invalid(f"must tell the caller how to opt out ({{opt_out_word}} or one of {list(self.opt_out_words)})", key="message_template")
        if len(message) > MAX_SMS_CHARS:
            raise invalid(f"renders to {len(message)} characters; an SMS body holds at most {MAX_SMS_CHARS}", key="message_template")
        return self

    @property
    def message(self) -> str:
        """The text the caller receives (also checked at synth: it names the opt-out word)."""
        return self.message_template.format(brand=self.brand_name, minutes=self.reply_within_minutes, opt_out_word=self.opt_out_words[0])
