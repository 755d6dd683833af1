"""What the deployed code is given: each function's environment and the flows' setting placeholders.

The CDK constructs pass these values to AWS; the local simulator (`ivr call`) passes the same
values to the same code on a laptop, with local table names and endpoints. Keeping them here,
away from the constructs, means a new setting reaches both or neither, and the simulator never
starts jsii to learn them. The variable names are the constants the Lambda code reads.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from configuration import languages
from configuration.model import IvrConfig
from lambdas.caller_verification import settings as verify
from lambdas.closure_check import environment as closure_check
from lambdas.closure_check.reopening import hours_json
from lambdas.common import dip_environment as backend
from lambdas.common.deadline import BUDGET_ENV
from lambdas.hours_overrides import environment as hours_overrides
from lambdas.messages_editing.center import Center
from lambdas.sms_deflection.settings import RATE_LIMIT_KEY_SECRET_ENV

# A deflection answer is remembered for a day: longer than any call.
SMS_RECORD_TTL_SECONDS = 24 * 3600
# The stack output holding, as JSON, the value of every resource placeholder of the deployed flows
# (Lambda, queue, hours and flow ARNs, module ids): infra writes it, `ivr flows drift` renders with it.
FLOW_RESOURCES_OUTPUT = "ContactFlowResources"
# The stack output holding, as JSON, the ARN of each caller journey deployed as a Connect test case
# (infra/journey_test_cases.py): `ivr instance-test` runs them.
JOURNEY_TEST_CASES_OUTPUT = "JourneyTestCases"
# One round of the customer queue flow: a hold message and its 30 s of silence (contact_flows/customer_queue.json).
HOLD_ROUND_SECONDS = 35


def closure_check_environment(config: IvrConfig, *, table_name: str) -> dict[str, str]:
    """The opening hours are given only when the app creates the hours: hours given by ARN are Connect's to know."""
    flows = config.flows
    hours = {} if flows.queue_hours in flows.hours_arns else {closure_check.OPENING_HOURS_ENV: hours_json(flows.opening_hours)}
    return {**hours,
        closure_check.TABLE_ENV: table_name,
        closure_check.CACHE_TTL_ENV: str(config.messages.cache_ttl_seconds),
        closure_check.TIME_ZONE_ENV: config.time_zone,
        closure_check.DEFAULT_LANGUAGE_ENV: config.default_language,
        closure_check.BUDGET_ENV: str(config.dip("closure_check").budget_ms),
    }


def hours_overrides_environment(config: IvrConfig, *, table_name: str, hours_arns_json: str, queue_hours_json: str) -> dict[str, str]:
    """`hours_arns_json`: {hours name: ARN} of every hours resource the flows check; `queue_hours_json`:
    {queue name in Connect: hours name} of the queues the app creates (JSON, tokens in CDK)."""
    return {
        hours_overrides.TABLE_ENV: table_name,
        hours_overrides.INSTANCE_ID_ENV: config.connect_instance.instance_id,
        hours_overrides.HOURS_ENV: hours_arns_json,
        hours_overrides.QUEUE_HOURS_ENV: queue_hours_json,
    }


def created_queue_hours(config: IvrConfig, queues: list[str]) -> dict[str, str]:
    """{queue name in Connect: hours name} of the flows' `queues` the app creates: they open with
    `flows.queue_hours`. A queue given by ARN has hours only Connect knows."""
    return {queue_name(config, queue): config.flows.queue_hours for queue in sorted(queues) if queue not in config.flows.queue_arns}


def backend_environment(config: IvrConfig, folder: str, *, base_url: str, secret_id: str) -> dict[str, str]:
    """A function that calls the customer backend (the dips; SMS deflection for enrollment and push)."""
    dip = config.dip(folder)
    return {
        backend.DIP_BUDGET_MS: str(dip.budget_ms),
        backend.BACKEND_BASE_URL: base_url,
        backend.BACKEND_API_KEY_SECRET_ARN: secret_id,
        backend.BACKEND_MAX_ATTEMPTS: str(dip.backend_max_attempts),
        backend.CIRCUIT_FAILURE_THRESHOLD: str(dip.circuit_failure_threshold),
        backend.CIRCUIT_COOL_DOWN_SECONDS: str(dip.circuit_cool_down_seconds),
    }


def sms_deflection_uses_backend(config: IvrConfig) -> bool:
    return config.sms.enrollment_source == "backend" or bool(config.sms.push_webhook_url)


def sms_deflection_environment(
    config: IvrConfig, *, table_name: str, rate_limit_key_secret_id: str, base_url: str = "", secret_id: str = "",
) -> dict[str, str]:
    """lambdas/sms_deflection/settings.py reads these; the backend ones only when it calls the backend.

    `rate_limit_key_secret_id`: the secret with the HMAC key of the rate-limit records; `secret_id`:
    the backend API key's."""
    sms = config.sms
    environment = {
        "SMS_DEFLECTION_TABLE_NAME": table_name,
        BUDGET_ENV: str(config.dip("sms_deflection").budget_ms),
        "SMS_CHANNEL": sms.channel,
        "SMS_ORIGINATION_IDENTITY": sms.origination_identity,
        "SMS_CONFIGURATION_SET": sms.configuration_set,
        "SMS_MESSAGE": sms.message,
        "ENROLLMENT_SOURCE": sms.enrollment_source,
        "ENROLLMENT_TABLE_NAME": sms.enrollment_table_name,
        "PUSH_WEBHOOK_URL": sms.push_webhook_url,
        "UNKNOWN_LINE_TYPE": sms.unknown_line_type,
        "RATE_LIMIT_MAX_MESSAGES": str(sms.rate_limit_max_messages),
        "RATE_LIMIT_WINDOW_SECONDS": str(sms.rate_limit_window_minutes * 60),
        RATE_LIMIT_KEY_SECRET_ENV: rate_limit_key_secret_id,
        "RECORD_TTL_SECONDS": str(SMS_RECORD_TTL_SECONDS),
    }
    if sms_deflection_uses_backend(config) and secret_id:
        environment.update(backend_environment(config, "sms_deflection", base_url=base_url, secret_id=secret_id))
    return environment


def caller_verification_environment(
    config: IvrConfig, *, table_name: str, key_secret_id: str, base_url: str, secret_id: str,
    input_key_secret_id: str = "", security_key_id: str = "",
) -> dict[str, str]:
    """lambdas/caller_verification/settings.py reads these: its table and HMAC key, the limits of
    `verification`, SMS deflection's sending identity and brand, and the backend (the customer record);
    with `input_key_secret_id`, the private key and the security key id of Connect's encrypted input
    (without them the function never offers a PIN)."""
    verification, sms = config.verification, config.sms
    pin = {verify.INPUT_KEY_SECRET_ENV: input_key_secret_id, verify.SECURITY_KEY_ID_ENV: security_key_id} if input_key_secret_id else {}
    return {
        **pin,
        **backend_environment(config, "caller_verification", base_url=base_url, secret_id=secret_id),
        verify.TABLE_ENV: table_name,
        verify.KEY_SECRET_ENV: key_secret_id,
        # The deflection's default brand "us" reads well in "text us", not in "your us verification code".
        verify.BRAND_ENV: "" if sms.brand_name == type(sms).model_fields["brand_name"].default else sms.brand_name,
        verify.CODE_VALID_SECONDS_ENV: str(verification.code_valid_minutes * 60),
        verify.CODE_ATTEMPTS_ENV: str(verification.max_attempts),
        verify.LOCKOUT_FAILURES_ENV: str(verification.lockout_after_failures),
        verify.LOCKOUT_SECONDS_ENV: str(verification.lockout_minutes * 60),
        verify.CODES_PER_CUSTOMER_ENV: str(verification.codes_per_customer),
        verify.CODES_PER_NUMBER_ENV: str(verification.codes_per_calling_number),
        verify.RATE_WINDOW_SECONDS_ENV: str(verification.codes_window_minutes * 60),
        verify.SMS_CHANNEL_ENV: sms.channel,
        verify.SMS_ORIGINATION_ENV: sms.origination_identity,
        verify.SMS_CONFIGURATION_SET_ENV: sms.configuration_set,
    }


def queue_name(config: IvrConfig, queue: str) -> str:
    """The Connect name of a queue the flows call `queue` ({{<queue>_queue_arn}}): what operators see
    in the console and scope queue messages with. A queue given by ARN keeps its own name, which
    only Connect knows; the flows' name stands in for it locally."""
    return queue if queue in config.flows.queue_arns else f"ivr-{config.environment}-{queue}"


class FlowFile(Protocol):
    """What `messages_center` reads of a flow file (flow_language.files.FlowFile)."""

    @property
    def stem(self) -> str: ...
    @property
    def is_module(self) -> bool: ...
    def references(self, kind: Any) -> set[str]: ...


def messages_center(config: IvrConfig, flow_files: Iterable[FlowFile]) -> Center:
    """The center operators edit messages for: time zone, languages, the queues (by their Connect
    names) and flows a message may be scoped to. `ivr messages` and the operators' page API both use it."""
    files = list(flow_files)
    queues = set().union(*(f.references("queue") for f in files)) | set(config.flows.queue_arns)
    created_hours = config.flows.queue_hours not in config.flows.hours_arns
    return Center.of(
        config.time_zone, config.languages, (queue_name(config, queue) for queue in queues), (f.stem for f in files if not f.is_module),
        dict(config.flows.opening_hours) if created_hours else {},
    )


# The Compare of contact_flows/modules/verify_caller.json that offers the PIN; the blocks after it
# encrypt the PIN with the certificate.
PIN_OFFER = ("verify_caller", "pin-offered")
PIN_CERTIFICATE_SETTING = "verification_certificate"  # {{verification_certificate}}: InputEncryption.Key
PIN_SECURITY_KEY_ID_SETTING = "verification_security_key_id"  # {{verification_security_key_id}}: .EncryptionKeyId


def flow_settings(config: IvrConfig) -> dict[str, str]:
    """The placeholders of contact_flows/ that are settings, not resources (e.g. `{{long_wait_seconds}}`),
    those that differ by language in the default language."""
    flows = config.flows
    return {
        "website": flows.website,
        **language_settings(config, config.default_language),
        "default_language": config.default_language,
        "long_wait_seconds": str(flows.long_wait_seconds),
        "long_queue_contacts": str(flows.long_queue_contacts),
        "wait_offer_every_rounds": str(max(1, round(flows.wait_offer_every_minutes * 60 / HOLD_ROUND_SECONDS))),
        # "true" when the billing choice verifies the caller first (contact_flows/modules/verify_caller.json)
        "verify_billing": str("billing" in config.verification.required_for).lower(),
        # the block that asks for a PIN encrypts it with these (InputEncryption); infra fills the id of
        # the security key it registers, the simulator its local key pair
        PIN_CERTIFICATE_SETTING: config.verification.pin_certificate,
        PIN_SECURITY_KEY_ID_SETTING: config.verification.pin_security_key_id,
    }


def language_settings(config: IvrConfig, language: str) -> dict[str, str]:
    """The setting placeholders whose value differs by language: the flow's language and voice (its entry
    flow sets both for the contact), and what the prompts say in it."""
    return {
        "language": language,
        "voice": languages.voice(config, language),
        "voice_engine": languages.VOICE_ENGINE,
        "opening_hours_text": languages.opening_hours_text(config, language),
    }


def passed_by_blocks(config: IvrConfig) -> dict[str, frozenset[str]]:
    """By flow file stem, the blocks a deployment of `config` leaves out (flow_language/pruning.py).
    Without `verification.pin_certificate` there is nothing to encrypt a PIN with, and Connect takes no
    encrypted input without a certificate, so the module goes from its offer straight to the outcome
    (the function offers a PIN only when it holds the key, so no caller missed one)."""
    stem, offer = PIN_OFFER
    return {} if config.verification.pin_certificate else {stem: frozenset({offer})}

