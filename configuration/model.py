"""The deployment's configuration: read from `cdk.json` context and validated in one place (OPS-4).

Every key is a top-level context key, so any of them can be overridden on the command line
(`npx cdk synth -c time_zone=Europe/Paris`); values given that way arrive as strings and are
converted. A wrong or missing value raises ConfigError with one line that names the key and what
is expected; `app.py` prints that line and exits.

IvrConfig groups the settings by area, one model per section (`dips`, `monitoring`,
`sms_deflection`, `flows` in modules of their own); CONTEXT_KEYS says where each context key lands.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

from configuration.dips import DEFAULT_DIPS, DELIVERY_MARGIN_MS, MAX_INVOCATION_TIME_LIMIT_SECONDS, DipConfig, Dips
from configuration.errors import ConfigError
from configuration.flows import DEFAULT_OPENING_HOURS, WEEKDAYS, FlowsConfig
from configuration.languages import check_languages
from configuration.monitoring import AlarmThresholds, MonitoringConfig
from configuration.operators_page import OperatorsPageConfig
from configuration.settings import (
    BOOLEAN,
    HTTPS_URL,
    INVALID,
    Section,
    closest,
    invalid,
    listed,
    optional_text,
    read_object,
    read_text,
    read_whole,
    text,
    whole,
)
from configuration.sms_deflection import DEFAULT_SMS_TEMPLATE, MAX_SMS_CHARS, SmsConfig
from configuration.verification import VerificationConfig

__all__ = [
    "DEFAULT_DIPS", "DEFAULT_OPENING_HOURS", "DEFAULT_SMS_TEMPLATE", "DELIVERY_MARGIN_MS", "MAX_INVOCATION_TIME_LIMIT_SECONDS",
    "MAX_SMS_CHARS", "WEEKDAYS", "AlarmThresholds", "BackendConfig", "ConnectInstance", "DipConfig", "FlowsConfig", "IvrConfig",
    "MessagesConfig", "MonitoringConfig", "OperatorsPageConfig", "SmsConfig", "VerificationConfig", "load_config",
]

_INSTANCE_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):connect:(?P<region>[a-z]{2}(-[a-z]+)+-\d):(?P<account>\d{12}):"
    r"instance/(?P<instance_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)
_ENVIRONMENT = re.compile(r"[a-z][a-z0-9-]{0,19}").fullmatch
_LANGUAGE = re.compile(r"[a-z]{2,3}-[A-Z]{2}").fullmatch
_VOICE = re.compile(r"[A-Z][a-zé]{1,20}").fullmatch
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}").fullmatch
_KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key/[A-Za-z0-9-]{1,128}").fullmatch
_LAYER_ARN_OR_NONE = re.compile(r"none|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+").fullmatch
# CloudWatch Logs accepts only these retention periods (infra.lambda_function maps them to CDK's enum).
_LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


class ConnectInstance(BaseModel):
    """The existing Amazon Connect instance, from context key `connect_instance_arn`."""

    model_config = ConfigDict(frozen=True)

    arn: str
    partition: str
    region: str
    account: str
    instance_id: str


def _instance(value: Any) -> ConnectInstance:
    arn = read_text(value, "an Amazon Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/UUID)", _INSTANCE_ARN.fullmatch)
    parts = _INSTANCE_ARN.fullmatch(arn)
    assert parts is not None  # read_text checked it
    return ConnectInstance(arn=arn, partition=parts["partition"], region=parts["region"], account=parts["account"], instance_id=parts["instance_id"])


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _voices(value: Any) -> dict[str, str]:
    voices = read_object(value)
    for language, voice in voices.items():
        if not _LANGUAGE(language) or not isinstance(voice, str) or not _VOICE(voice):
            raise invalid(f"must map language codes like 'es-US' to Amazon Polly voice names like 'Lupe', got {voice!r}",
                          key=language)
    return dict(voices)


def _retention_period(value: Any) -> int:
    days = read_whole(value, 1, 3653)
    if days not in _LOG_RETENTION_DAYS:
        raise invalid(f"must be one of CloudWatch's retention periods {_LOG_RETENTION_DAYS}, got {days}")
    return days


class MessagesConfig(Section):
    """Holiday and emergency messages (MSG-1..4) and the closure check that reads them."""

    cache_ttl_seconds: Annotated[int, whole(1, 3600)] = 30


class BackendConfig(Section):
    """The customer's own API that the data dips call (DD-6).

    The stack creates the API key secret `backend_api_key_secret_name` (KMS-encrypted, generated
    placeholder value the operator replaces), unless `backend_api_key_secret_exists` is true: then it
    uses the existing secret of that name, and `backend_api_key_kms_key_arn` names its customer-managed
    key when it has one (the dips get kms:Decrypt on it, through Secrets Manager only).
    """

    base_url: Annotated[str, text("an https:// URL", HTTPS_URL)]
    api_key_secret_name: Annotated[str, text("a Secrets Manager secret name", _SECRET_NAME)]
    api_key_secret_exists: Annotated[bool, BOOLEAN] = False
    api_key_kms_key_arn: Annotated[str, optional_text("a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", _KMS_KEY_ARN)] = ""


class IvrConfig(BaseModel):
    """The whole configuration, as `load_config` reads it from the context (CONTEXT_KEYS)."""

    model_config = ConfigDict(frozen=True)

    environment: Annotated[str, text("lowercase letters, digits and dashes, 1-20 characters, starting with a letter", _ENVIRONMENT)]
    connect_instance: Annotated[ConnectInstance, PlainValidator(_instance)]
    time_zone: Annotated[str, text("an IANA time zone like 'America/New_York'", _is_time_zone)]
    # The first language is the default a caller hears when a message has no text in theirs.
    languages: Annotated[
        tuple[str, ...], listed("language codes like 'en-US'", _LANGUAGE, at_least_one="must list at least one language code")
    ] = ("en-US",)
    # The Amazon Polly voice of each language (configuration/languages.py has one for the usual languages).
    voices: Annotated[Mapping[str, str], PlainValidator(_voices)] = Field(default_factory=dict)
    log_retention_days: Annotated[int, PlainValidator(_retention_period)] = 90
    powertools_layer_version: Annotated[int, whole(1, 1000)] = 27
    messages: MessagesConfig
    backend: BackendConfig
    dips: Dips
    monitoring: MonitoringConfig
    sms: SmsConfig
    flows: FlowsConfig
    operators_page: OperatorsPageConfig
    verification: VerificationConfig
    # The Parameters and Secrets Lambda Extension layer of the functions that read the API key:
    # "" = AWS's published layer for the stack's region (infra/lambda_function.py), an ARN, or "none".
    parameters_secrets_extension_layer_arn: Annotated[str, optional_text("a Lambda layer version ARN, or 'none'", _LAYER_ARN_OR_NONE)] = ""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def dip(self, name: str) -> DipConfig:
        return self.dips[name]


# Where each top-level context key lands in IvrConfig. Any other key is a typo that would silently
# fall back to a default (an `alarm_email` nobody is paged at), so it stops synth.
CONTEXT_KEYS: Mapping[str, tuple[str, ...]] = {
    "environment": ("environment",),
    "connect_instance_arn": ("connect_instance",),
    "time_zone": ("time_zone",),
    "languages": ("languages",),
    "voices": ("voices",),
    "log_retention_days": ("log_retention_days",),
    "powertools_layer_version": ("powertools_layer_version",),
    "messages_cache_ttl_seconds": ("messages", "cache_ttl_seconds"),
    "backend_base_url": ("backend", "base_url"),
    "backend_api_key_secret_name": ("backend", "api_key_secret_name"),
    "backend_api_key_secret_exists": ("backend", "api_key_secret_exists"),
    "backend_api_key_kms_key_arn": ("backend", "api_key_kms_key_arn"),
    "dips": ("dips",),
    "alarm_emails": ("monitoring", "alarm_emails"),
    "monitoring_enabled": ("monitoring", "enabled"),
    "connect_flow_log_group": ("monitoring", "connect_flow_log_group"),
    "alarm_thresholds": ("monitoring", "thresholds"),
    "sms_deflection": ("sms",),
    "flows": ("flows",),
    "operators_page": ("operators_page",),
    "verification": ("verification",),
    "parameters_secrets_extension_layer_arn": ("parameters_secrets_extension_layer_arn",),
}
_CONTEXT_KEY_OF = {place: key for key, place in CONTEXT_KEYS.items()}
_SECTIONS = ("messages", "backend", "dips", "monitoring", "sms", "flows", "operators_page", "verification")


def load_config(values: Mapping[str, Any]) -> IvrConfig:
    """Build the configuration from context values (the app's `node.get_all_context()`, or cdk.json's
    `context`). A key given as null counts as not given."""
    try:
        config = IvrConfig.model_validate(_grouped(values))
    except ValidationError as problem:
        raise ConfigError(_one_line(problem)) from None
    check_languages(config)
    return config


def _grouped(values: Mapping[str, Any]) -> dict[str, Any]:
    """The context values in IvrConfig's shape, after refusing a key nothing reads."""
    # Keys with a colon or a leading @ belong to the CDK itself (feature flags, CLI settings).
    ours = {key: value for key, value in values.items() if ":" not in key and not key.startswith("@")}
    for key in sorted(set(ours) - set(CONTEXT_KEYS)):
        if "." in key:
            top = key.split(".", 1)[0]
            raise ConfigError(f"cdk.json context '{key}' is not a setting: give '{top}' whole, e.g. -c '{top}={{...}}' with JSON")
        raise ConfigError(f"cdk.json context '{key}' is not a known setting: {closest(key, list(CONTEXT_KEYS))}")
    grouped: dict[str, Any] = {section: {} for section in _SECTIONS}
    for key, value in ours.items():
        if value is None:
            continue
        field, *setting = CONTEXT_KEYS[key]
        if setting:
            grouped[field][setting[0]] = value
        else:
            grouped[field] = value
    grouped["monitoring"].setdefault("connect_flow_log_group", f"/aws/connect/connect-ivr-{ours.get('environment') or 'dev'}")
    return grouped


def _one_line(problem: ValidationError) -> str:
    """The first problem pydantic found (fields are checked in the order they are declared) as the
    line the user reads, naming the context key."""
    error = problem.errors(include_url=False)[0]
    place = tuple(str(part) for part in error["loc"])
    context = error.get("ctx") or {}
    if "key" in context:
        place += (context["key"],)
    key = ".".join(place)
    for length in (2, 1):
        if place[:length] in _CONTEXT_KEY_OF:
            key = ".".join((_CONTEXT_KEY_OF[place[:length]], *place[length:]))
            break
    if error["type"] == "missing":
        return f"cdk.json context '{key}' is missing"
    if error["type"] == INVALID:
        return f"cdk.json context '{key}' {error['msg']}"
    return f"cdk.json context '{key}' is not valid ({error['msg']}), got {error['input']!r}"  # a check of pydantic's own, none expected
