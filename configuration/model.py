"""The deployment's configuration: read from `cdk.json` context and validated in one place (OPS-4).

Every key is a top-level context key, so any of them can be overridden on the command line
(`npx cdk synth -c time_zone=Europe/Paris`); values given that way arrive as strings and are
converted here. A wrong or missing value raises ConfigError with one line that names the key and
what is expected; `app.py` prints that line and exits.
"""
from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from configuration.errors import ConfigError


T = TypeVar("T")

_INSTANCE_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):connect:(?P<region>[a-z]{2}(-[a-z]+)+-\d):(?P<account>\d{12}):"
    r"instance/(?P<instance_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)
_ENVIRONMENT = re.compile(r"[a-z][a-z0-9-]{0,19}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LANGUAGE = re.compile(r"[a-z]{2,3}-[A-Z]{2}")
# CloudWatch Logs accepts only these retention periods (infra.lambda_function maps them to CDK's enum).
_LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)

# A dip answers within its budget; Connect and Lambda need a little more to deliver the answer.
DELIVERY_MARGIN_MS = 500
MAX_INVOCATION_TIME_LIMIT_SECONDS = 8


class _Context:
    """Typed reads of cdk.json context, each failing with a ConfigError that names the key."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = values

    def raw(self, key: str, default: Any = ...) -> Any:
        if key in self._values and self._values[key] is not None:
            return self._values[key]
        if default is ...:
            raise ConfigError(f"cdk.json context '{key}' is missing")
        return default

    def string(self, key: str, default: Any = ..., *, pattern: re.Pattern | None = None, expected: str = "") -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"cdk.json context '{key}' must be a non-empty string, got {value!r}")
        if pattern and not pattern.fullmatch(value):
            raise ConfigError(f"cdk.json context '{key}' must be {expected}, got {value!r}")
        return value

    def integer(self, key: str, default: Any = ..., *, minimum: int, maximum: int) -> int:
        value = self.raw(key, default)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise ConfigError(f"cdk.json context '{key}' must be a whole number from {minimum} to {maximum}, got {value!r}")
        return value

    def optional_integer(self, key: str, *, minimum: int, maximum: int) -> int | None:
        if self.raw(key, None) is None:
            return None
        return self.integer(key, minimum=minimum, maximum=maximum)

    def string_list(self, key: str, default: Any = ..., *, item: Callable[[str], bool], expected: str) -> tuple[str, ...]:
        value = self.raw(key, default)
        if isinstance(value, str):  # from `-c key=...`: a JSON list, or one comma-separated string
            value = json.loads(value) if value.strip().startswith("[") else [v for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) and item(v.strip()) for v in value):
            raise ConfigError(f"cdk.json context '{key}' must be a list of {expected}, got {value!r}")
        return tuple(v.strip() for v in value)

    def mapping(self, key: str, default: Any = ...) -> Mapping[str, Any]:
        value = self.raw(key, default)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                pass
        if not isinstance(value, Mapping):
            raise ConfigError(f"cdk.json context '{key}' must be an object, got {value!r}")
        return value

    def nested(self, key: str, default: Any = ...) -> "_Context":
        return _NestedContext(key, self.mapping(key, default))


class _NestedContext(_Context):
    def __init__(self, prefix: str, values: Mapping[str, Any]):
        super().__init__({f"{prefix}.{k}": v for k, v in values.items()})


def _is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


# --- Sections, one per area ---------------------------------------------------------------


@dataclass(frozen=True)
class ConnectInstance:
    arn: str
    partition: str
    region: str
    account: str
    instance_id: str


@dataclass(frozen=True)
class MessagesConfig:
    """Holiday and emergency messages (MSG-1..4) and the closure check that reads them."""

    cache_ttl_seconds: int


@dataclass(frozen=True)
class DipConfig:
    """One data dip's time budget and capacity (DD-5).

    The budget is the deadline the handler keeps (connect, read, retries). The flow's
    InvocationTimeLimitSeconds and the Lambda timeout both derive from it, so they cannot disagree.
    """

    name: str
    budget_ms: int
    memory_mb: int
    reserved_concurrency: int | None
    provisioned_concurrency: int
    # Dips calling the customer backend (env names in lambdas.common.dip_environment): attempts per
    # call (retries included), consecutive failed calls that open the circuit, its cool-down.
    backend_max_attempts: int = 3
    circuit_failure_threshold: int = 5
    circuit_cool_down_seconds: int = 10

    @property
    def invocation_time_limit_seconds(self) -> int:
        return math.ceil((self.budget_ms + DELIVERY_MARGIN_MS) / 1000)

    @property
    def lambda_timeout_seconds(self) -> int:
        return self.invocation_time_limit_seconds


@dataclass(frozen=True)
class BackendConfig:
    """The customer's own API that the data dips call (DD-6).

    The stack creates the API key secret `backend_api_key_secret_name` (KMS-encrypted, generated
    placeholder value the operator replaces), unless `backend_api_key_secret_exists` is true: then it
    uses the existing secret of that name, and `backend_api_key_kms_key_arn` names its customer-managed
    key when it has one (the dips get kms:Decrypt on it, through Secrets Manager only).
    """

    base_url: str
    api_key_secret_name: str
    api_key_secret_exists: bool = False
    api_key_kms_key_arn: str = ""


@dataclass(frozen=True)
class AlarmThresholds:
    """When each alarm fires: context object `alarm_thresholds`, every key optional (OPS-1).

    Every alarm fires when its value is ABOVE the threshold during one period of `period_minutes`
    (counts are per period). A dip's duration alarm fires when its p99 exceeds
    `dip_duration_percent_of_budget` percent of that dip's `dips.<name>.budget_ms`. The backend
    error rate alarm only evaluates periods with at least `backend_min_calls` backend calls; the
    `backend_4xx` alarm (the backend refusing our API key or throttling us) counts in every period.
    """

    period_minutes: int = 5
    dip_errors: int = 0  # Lambda Errors: handlers return failures as results, so any error is a bug
    dip_throttles: int = 0
    function_reported_errors: int = 0  # failures a function counts itself (messages table unreadable, SMS not sent)
    dip_duration_percent_of_budget: int = 80
    backend_error_rate_percent: int = 10
    backend_min_calls: int = 20
    backend_timeouts: int = 5
    # Backend attempts refused with a 4xx other than 404 (401/403: our API key; 429: throttled), counted
    # whatever the call volume: a wrong key fails every caller even in a quiet period.
    backend_4xx: int = 5
    circuit_opened: int = 0
    api_key_unavailable: int = 0
    messages_table_errors: int = 0
    messages_table_throttles: int = 0
    flow_errors: int = 5
    flow_fatal_errors: int = 0
    throttled_calls: int = 0
    calls_breaching_quota: int = 0
    misconfigured_phone_numbers: int = 0


# Allowed range of each threshold; the others are counts from 0 to 100000.
_THRESHOLD_RANGES = {"period_minutes": (1, 60), "dip_duration_percent_of_budget": (10, 100), "backend_error_rate_percent": (1, 100), "backend_min_calls": (1, 100000)}


@dataclass(frozen=True)
class MonitoringConfig:
    """Alarms, dashboard and saved Logs Insights queries (OPS-1..3).

    `alarm_emails`: addresses subscribed to the alarm topic (zero or more; each confirms by email).
    `monitoring_enabled` (default true): false builds the stack without alarms, dashboard and
    queries (a throw-away dev stack, or to measure what monitoring costs at synth).
    `connect_flow_log_group`: where Amazon Connect writes flow logs, `/aws/connect/<instance alias>`
    (enable flow logs on the instance and a "Set logging behavior" block in the flows). The
    instance ARN does not carry the alias, so set it; the default `/aws/connect/connect-ivr-<environment>`
    fits an instance created with that alias. The saved queries read this log group.
    `alarm_thresholds`: see AlarmThresholds.
    """

    alarm_emails: tuple[str, ...]
    enabled: bool = True
    connect_flow_log_group: str = ""
    thresholds: AlarmThresholds = AlarmThresholds()


@dataclass(frozen=True)
class SmsConfig:
    """SMS / app deflection (CX-10, DD-4): context object `sms_deflection`, every field optional.

    `channel` end_user_messaging sends with AWS End User Messaging SMS (`pinpoint-sms-voice-v2`)
    from `origination_identity` (the ARN of a phone number, pool or sender id: IAM is scoped to
    it); sns publishes to the number (origination number optional, E.164). The message is the
    template rendered at synth with {brand}, {minutes} and {opt_out_word}. Callers enrolled in the
    app (`enrollment_source` backend: `GET /customers?phone=`; table: a DynamoDB table keyed on
    `phone`; none) get a push through `push_webhook_url` when one is set. `unknown_line_type`
    says what happens when nobody knows whether the number is a mobile (send or refuse; VOIP
    counts as unknown). A number gets at most `rate_limit_max_messages` per
    `rate_limit_window_minutes` (fixed windows), whatever the flows do. Opt-outs are the sending
    service's own list (End User Messaging refuses an opted-out number; SNS is asked first).
    """

    channel: str
    origination_identity: str
    configuration_set: str
    brand_name: str
    reply_within_minutes: int
    opt_out_words: tuple[str, ...]
    message_template: str
    enrollment_source: str
    enrollment_table_name: str
    push_webhook_url: str
    unknown_line_type: str
    rate_limit_max_messages: int
    rate_limit_window_minutes: int

    @property
    def message(self) -> str:
        """The text the caller receives (also checked at synth: it names the opt-out word)."""
        return self.message_template.format(
            brand=self.brand_name, minutes=self.reply_within_minutes, opt_out_word=self.opt_out_words[0]
        )


@dataclass(frozen=True)
class IvrConfig:
    environment: str
    connect_instance: ConnectInstance
    time_zone: str
    languages: tuple[str, ...]
    log_retention_days: int
    powertools_layer_version: int
    messages: MessagesConfig
    backend: BackendConfig
    dips: Mapping[str, DipConfig]
    monitoring: MonitoringConfig
    sms: SmsConfig
    flows: "FlowsConfig"
    # The Parameters and Secrets Lambda Extension layer of the functions that read the API key:
    # "" = AWS's published layer for the stack's region (infra/lambda_function.py), an ARN, or "none".
    parameters_secrets_extension_layer_arn: str = ""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def dip(self, name: str) -> DipConfig:
        return self.dips[name]


DEFAULT_DIPS: Mapping[str, Mapping[str, int]] = {
    "order_status": {"budget_ms": 3000},
    "customer_lookup": {"budget_ms": 2000},
    "interaction_log": {"budget_ms": 5000, "backend_max_attempts": 5},  # off the caller's path: more retries fit
    "closure_check": {"budget_ms": 1500},
    "sms_deflection": {"budget_ms": 4000},
}


def _instance(context: _Context) -> ConnectInstance:
    arn = context.string(
        "connect_instance_arn",
        pattern=_INSTANCE_ARN,
        expected="an Amazon Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/UUID)",
    )
    match = _INSTANCE_ARN.fullmatch(arn)
    return ConnectInstance(arn=arn, **{k: match.group(k) for k in ("partition", "region", "account", "instance_id")})


def _dips(context: _Context) -> dict[str, DipConfig]:
    configured = context.mapping("dips", {})
    dips = {}
    for name in sorted(set(DEFAULT_DIPS) | set(configured)):
        if name not in DEFAULT_DIPS:
            raise ConfigError(f"cdk.json context 'dips.{name}' is not a known function: expected one of {sorted(DEFAULT_DIPS)}")
        given = context.nested("dips").mapping(f"dips.{name}", {})
        _reject_unknown(given, DIP_KEYS, f"dips.{name}")
        settings = _NestedContext(f"dips.{name}", {**DEFAULT_DIPS[name], **given})
        max_budget = MAX_INVOCATION_TIME_LIMIT_SECONDS * 1000 - DELIVERY_MARGIN_MS
        dips[name] = DipConfig(
            name=name,
            budget_ms=settings.integer(f"dips.{name}.budget_ms", minimum=200, maximum=max_budget),
            memory_mb=settings.integer(f"dips.{name}.memory_mb", 256, minimum=128, maximum=10240),
            reserved_concurrency=settings.optional_integer(f"dips.{name}.reserved_concurrency", minimum=1, maximum=10000),
            provisioned_concurrency=settings.integer(f"dips.{name}.provisioned_concurrency", 0, minimum=0, maximum=10000),
            backend_max_attempts=settings.integer(f"dips.{name}.backend_max_attempts", 3, minimum=1, maximum=10),
            circuit_failure_threshold=settings.integer(f"dips.{name}.circuit_failure_threshold", 5, minimum=1, maximum=1000),
            circuit_cool_down_seconds=settings.integer(f"dips.{name}.circuit_cool_down_seconds", 10, minimum=1, maximum=3600),
        )
    return dips


# Every top-level key load_config reads. Any other key is a typo that would silently fall back to
# a default (an `alarm_email` nobody is paged at), so it stops synth.
TOP_LEVEL_KEYS = (
    "environment", "connect_instance_arn", "time_zone", "languages", "log_retention_days",
    "powertools_layer_version", "messages_cache_ttl_seconds", "backend_base_url",
    "backend_api_key_secret_name", "backend_api_key_secret_exists", "backend_api_key_kms_key_arn",
    "dips", "alarm_emails", "monitoring_enabled", "connect_flow_log_group", "alarm_thresholds",
    "sms_deflection", "flows", "parameters_secrets_extension_layer_arn",
)
DIP_KEYS = (
    "budget_ms", "memory_mb", "reserved_concurrency", "provisioned_concurrency",
    "backend_max_attempts", "circuit_failure_threshold", "circuit_cool_down_seconds",
)


def _reject_unknown_keys(keys: list[str]) -> None:
    # Keys with a colon or a leading @ belong to the CDK itself (feature flags, CLI settings).
    unknown = sorted(k for k in keys if k not in TOP_LEVEL_KEYS and ":" not in k and not k.startswith("@"))
    if not unknown:
        return
    key = unknown[0]
    if "." in key:
        top = key.split(".", 1)[0]
        raise ConfigError(f"cdk.json context '{key}' is not a setting: give '{top}' whole, e.g. -c '{top}={{...}}' with JSON")
    raise ConfigError(f"cdk.json context '{key}' is not a known setting: {_closest(key, TOP_LEVEL_KEYS)}")


def _closest(key: str, known: Sequence[str]) -> str:
    """What a misspelt setting was probably meant to be, or every setting there is."""
    close = difflib.get_close_matches(key, known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"expected one of {list(known)}"


def _reject_unknown(given: Iterable[str], known: Sequence[str], section: str, noun: str = "setting") -> None:
    """Stop at the first key of `section` that nothing reads (it would silently fall back to a default)."""
    for key in sorted(set(given) - set(known)):
        raise ConfigError(f"cdk.json context '{section}.{key}' is not a known {noun}: {_closest(key, known)}")


_LAYER_ARN_OR_NONE = re.compile(r"none|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]+:\d+")


def _extension_layer_arn(context: _Context) -> str:
    """"" (AWS's published layer for the region) when not given, else a layer version ARN or "none"."""
    key = "parameters_secrets_extension_layer_arn"
    if context.raw(key, None) is None:
        return ""
    return context.string(key, pattern=_LAYER_ARN_OR_NONE, expected="a Lambda layer version ARN, or 'none'")


def load_config(values: Mapping[str, Any]) -> IvrConfig:
    """Build the configuration from context values (the app's `node.try_get_context` view).

    When `values` can list its keys, a key nobody reads stops synth (a typo must not fall back to
    a default silently)."""
    if hasattr(values, "keys"):
        _reject_unknown_keys(list(values.keys()))
    context = _Context(values)
    return IvrConfig(
        environment=context.string("environment", pattern=_ENVIRONMENT, expected="lowercase letters, digits and dashes, 1-20 characters, starting with a letter"),
        connect_instance=_instance(context),
        time_zone=_time_zone(context),
        languages=_languages(context),
        log_retention_days=_log_retention(context),
        powertools_layer_version=context.integer("powertools_layer_version", 27, minimum=1, maximum=1000),
        messages=MessagesConfig(
            cache_ttl_seconds=context.integer("messages_cache_ttl_seconds", 30, minimum=1, maximum=3600),
        ),
        backend=BackendConfig(
            base_url=context.string("backend_base_url", pattern=re.compile(r"https://[^\s/]+(/[^\s]*)?"), expected="an https:// URL"),
            api_key_secret_name=context.string("backend_api_key_secret_name", pattern=re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}"), expected="a Secrets Manager secret name"),
            api_key_secret_exists=_boolean(context, "backend_api_key_secret_exists", False),
            api_key_kms_key_arn=_optional_kms_key_arn(context, "backend_api_key_kms_key_arn"),
        ),
        dips=_dips(context),
        monitoring=_monitoring(context),
        sms=_sms_deflection(context),
        flows=_flows(context),
        parameters_secrets_extension_layer_arn=_extension_layer_arn(context),
    )


_KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key/[A-Za-z0-9-]{1,128}")


def _optional_kms_key_arn(context: _Context, key: str) -> str:
    if context.raw(key, "") == "":
        return ""
    return context.string(key, pattern=_KMS_KEY_ARN, expected="a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")


def _boolean(context: _Context, key: str, default: bool) -> bool:
    value = context.raw(key, default)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        value = value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise ConfigError(f"cdk.json context '{key}' must be true or false, got {value!r}")
    return value


def _time_zone(context: _Context) -> str:
    name = context.string("time_zone")
    if not _is_time_zone(name):
        raise ConfigError(f"cdk.json context 'time_zone' must be an IANA time zone like 'America/New_York', got {name!r}")
    return name


def _languages(context: _Context) -> tuple[str, ...]:
    """The first language is the default a caller hears when a message has no text in theirs."""
    languages = context.string_list("languages", ["en-US"], item=lambda v: bool(_LANGUAGE.fullmatch(v)), expected="language codes like 'en-US'")
    if not languages:
        raise ConfigError("cdk.json context 'languages' must list at least one language code")
    return languages


def _log_retention(context: _Context) -> int:
    days = context.integer("log_retention_days", 90, minimum=1, maximum=3653)
    if days not in _LOG_RETENTION_DAYS:
        raise ConfigError(f"cdk.json context 'log_retention_days' must be one of CloudWatch's retention periods {_LOG_RETENTION_DAYS}, got {days}")
    return days


# --- SMS deflection (CX-10, DD-4) ----------------------------------------------------------

_SMS_VOICE_ARN = re.compile(r"arn:aws[a-z-]*:sms-voice:[a-z]{2}(-[a-z]+)+-\d:\d{12}:(phone-number|pool|sender-id)/[A-Za-z0-9_/+-]{1,128}")
_E164_NUMBER = re.compile(r"\+[1-9][0-9]{7,14}")
_SMS_CONFIGURATION_SET = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DYNAMODB_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_OPT_OUT_WORD = re.compile(r"[A-Z]{2,20}")
_SMS_TEMPLATE_FIELDS = {"brand", "minutes", "opt_out_word"}
DEFAULT_SMS_TEMPLATE = (
    "Thanks for choosing to text {brand}. Reply with your question and an agent will answer within "
    "{minutes} minutes. Reply {opt_out_word} to opt out."
)
MAX_SMS_CHARS = 1600  # SNS and End User Messaging both refuse longer bodies


def _one_of(context: _Context, key: str, choices: tuple[str, ...], default: str) -> str:
    value = context.string(key, default)
    if value not in choices:
        raise ConfigError(f"cdk.json context '{key}' must be one of {list(choices)}, got {value!r}")
    return value


def _sms_deflection(context: _Context) -> SmsConfig:
    import string
    from dataclasses import fields

    sms = context.nested("sms_deflection", {})
    key = "sms_deflection."
    known = sorted(f.name for f in fields(SmsConfig))  # the context keys are the field names
    _reject_unknown(context.mapping("sms_deflection", {}), known, "sms_deflection")
    channel = _one_of(sms, key + "channel", ("end_user_messaging", "sns"), "sns")
    if channel == "end_user_messaging":
        origination = sms.string(
            key + "origination_identity",
            pattern=_SMS_VOICE_ARN,
            expected="the ARN of an End User Messaging phone number, pool or sender id (arn:aws:sms-voice:REGION:ACCOUNT:phone-number/ID)",
        )
    else:
        origination = sms.raw(key + "origination_identity", "")
        if origination and (not isinstance(origination, str) or not _E164_NUMBER.fullmatch(origination)):
            raise ConfigError(f"cdk.json context '{key}origination_identity' must be an E.164 origination number for channel sns, or empty, got {origination!r}")
    configuration_set = sms.raw(key + "configuration_set", "")
    if configuration_set and (not isinstance(configuration_set, str) or not _SMS_CONFIGURATION_SET.fullmatch(configuration_set) or channel != "end_user_messaging"):
        raise ConfigError(f"cdk.json context '{key}configuration_set' must be an End User Messaging configuration set name (channel end_user_messaging only), got {configuration_set!r}")
    opt_out_words = sms.string_list(key + "opt_out_words", ["STOP"], item=lambda v: bool(_OPT_OUT_WORD.fullmatch(v)), expected="upper-case keywords like 'STOP'")
    if not opt_out_words:
        raise ConfigError(f"cdk.json context '{key}opt_out_words' must list at least one keyword, like 'STOP'")
    enrollment_source = _one_of(sms, key + "enrollment_source", ("backend", "table", "none"), "backend")
    enrollment_table = ""
    if enrollment_source == "table":
        enrollment_table = sms.string(key + "enrollment_table_name", pattern=_DYNAMODB_TABLE_NAME, expected="a DynamoDB table name")
    push_webhook_url = sms.raw(key + "push_webhook_url", "")
    if push_webhook_url and (not isinstance(push_webhook_url, str) or not re.fullmatch(r"https://[^\s/]+(/[^\s]*)?", push_webhook_url)):
        raise ConfigError(f"cdk.json context '{key}push_webhook_url' must be an https:// URL or empty, got {push_webhook_url!r}")
    config = SmsConfig(
        channel=channel,
        origination_identity=origination,
        configuration_set=configuration_set,
        brand_name=sms.string(key + "brand_name", "us"),
        reply_within_minutes=sms.integer(key + "reply_within_minutes", 15, minimum=1, maximum=1440),
        opt_out_words=opt_out_words,
        message_template=sms.string(key + "message_template", DEFAULT_SMS_TEMPLATE),
        enrollment_source=enrollment_source,
        enrollment_table_name=enrollment_table,
        push_webhook_url=push_webhook_url,
        unknown_line_type=_one_of(sms, key + "unknown_line_type", ("send", "refuse"), "send"),
        rate_limit_max_messages=sms.integer(key + "rate_limit_max_messages", 3, minimum=1, maximum=100),
        rate_limit_window_minutes=sms.integer(key + "rate_limit_window_minutes", 1440, minimum=1, maximum=10080),
    )
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(config.message_template) if name is not None}
    except ValueError as problem:
        raise ConfigError(f"cdk.json context '{key}message_template' is not a valid template ({problem}); write literal braces as {{{{ and }}}}") from None
    if not fields <= _SMS_TEMPLATE_FIELDS:
        raise ConfigError(f"cdk.json context '{key}message_template' may use only {{brand}}, {{minutes}} and {{opt_out_word}}, got {sorted(fields - _SMS_TEMPLATE_FIELDS)}")
    message = config.message
    if not any(re.search(rf"\b{word}\b", message) for word in opt_out_words):
        raise ConfigError(f"cdk.json context '{key}message_template' must tell the caller how to opt out ({{opt_out_word}} or one of {list(opt_out_words)})")
    if len(message) > MAX_SMS_CHARS:
        raise ConfigError(f"cdk.json context '{key}message_template' renders to {len(message)} characters; an SMS body holds at most {MAX_SMS_CHARS}")
    return config


# --- Monitoring (OPS-1..4) -----------------------------------------------------------------

_LOG_GROUP_NAME = re.compile(r"[A-Za-z0-9_\-/.#]{1,512}")


def _monitoring(context: _Context) -> MonitoringConfig:
    from dataclasses import fields

    environment = context.raw("environment", "dev")
    enabled = context.raw("monitoring_enabled", True)
    if isinstance(enabled, str) and enabled.strip().lower() in ("true", "false"):
        enabled = enabled.strip().lower() == "true"
    if not isinstance(enabled, bool):
        raise ConfigError(f"cdk.json context 'monitoring_enabled' must be true or false, got {enabled!r}")
    configured = context.mapping("alarm_thresholds", {})
    known = [f.name for f in fields(AlarmThresholds)]
    _reject_unknown(configured, known, "alarm_thresholds", noun="threshold")
    thresholds = context.nested("alarm_thresholds", {})
    values = {}
    for name in known:
        low, high = _THRESHOLD_RANGES.get(name, (0, 100000))
        values[name] = thresholds.integer(f"alarm_thresholds.{name}", getattr(AlarmThresholds, name), minimum=low, maximum=high)
    return MonitoringConfig(
        alarm_emails=context.string_list("alarm_emails", [], item=lambda v: bool(_EMAIL.fullmatch(v)), expected="email addresses"),
        enabled=enabled,
        connect_flow_log_group=context.string(
            "connect_flow_log_group",
            f"/aws/connect/connect-ivr-{environment}",
            pattern=_LOG_GROUP_NAME,
            expected="a CloudWatch Logs log group name like '/aws/connect/<instance alias>'",
        ),
        thresholds=AlarmThresholds(**values),
    )


# --- Contact flows (issue 4) ---------------------------------------------------------------

_CONNECT_RESOURCE_ARN = r"arn:aws[a-z-]*:connect:[a-z]{2}(-[a-z]+)+-\d:\d{12}:instance/[0-9a-f-]{36}/%s/[0-9a-f-]{36}"
_WEBSITE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~/-]*)?")
_OPENING_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
DEFAULT_OPENING_HOURS = {day: "08:00-20:00" for day in WEEKDAYS[:5]}


@dataclass(frozen=True)
class FlowsConfig:
    """Contact flows and what they route to: context object `flows`, every key optional.

    `directory`: the flow files (default `contact_flows`, relative to the repository).
    `queue_arns` / `hours_arns`: existing queues / hours of operation by the name the flows use
    (`{{orders_queue_arn}}` -> `orders`); names not listed are created by the app, queues with
    the hours `queue_hours`, hours with `opening_hours` (day -> "HH:MM-HH:MM", in `time_zone`).
    `phone_number_arn`: a claimed number to point at flow `phone_number_flow` (default main).
    Prompt texts: `opening_hours_text` (said after "we're open"), `website` (a host name and
    optional path, said in prompts). Long wait in the queue flow (CX-10): the oldest contact
    has waited more than `long_wait_seconds`, or more than `long_queue_contacts` are waiting.
    """

    directory: str
    queue_arns: Mapping[str, str]
    hours_arns: Mapping[str, str]
    queue_hours: str
    opening_hours: Mapping[str, tuple[str, str]]
    phone_number_arn: str
    phone_number_flow: str
    opening_hours_text: str
    website: str
    long_wait_seconds: int
    long_queue_contacts: int


def _arn_map(flows: _Context, key: str, kind: str) -> dict[str, str]:
    pattern = re.compile(_CONNECT_RESOURCE_ARN % kind)
    values = flows.mapping(key, {})
    for name, arn in values.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or not isinstance(arn, str) or not pattern.fullmatch(arn):
            raise ConfigError(f"cdk.json context '{key}.{name}' must map a lowercase name to an Amazon Connect {kind} ARN "
                              f"(arn:aws:connect:REGION:ACCOUNT:instance/ID/{kind}/ID), got {arn!r}")
    return dict(values)


def _flows(context: _Context) -> FlowsConfig:
    from dataclasses import fields

    key = "flows."
    known = sorted(f.name for f in fields(FlowsConfig))
    _reject_unknown(context.mapping("flows", {}), known, "flows")
    flows = context.nested("flows", {})
    opening_hours = {}
    for day, span in flows.mapping(key + "opening_hours", DEFAULT_OPENING_HOURS).items():
        if day not in WEEKDAYS or not isinstance(span, str) or not _OPENING_TIME.fullmatch(span) or span[:5] >= span[6:]:
            raise ConfigError(f"cdk.json context '{key}opening_hours.{day}' must be a day {list(WEEKDAYS)} mapped to "
                              f"'HH:MM-HH:MM' (opening before closing), got {span!r}")
        opening_hours[day] = (span[:5], span[6:])
    phone_number_arn = flows.raw(key + "phone_number_arn", "")
    if phone_number_arn and (not isinstance(phone_number_arn, str) or not re.fullmatch(
            r"arn:aws[a-z-]*:connect:[a-z]{2}(-[a-z]+)+-\d:\d{12}:phone-number/[0-9a-f-]{36}", phone_number_arn)):
        raise ConfigError(f"cdk.json context '{key}phone_number_arn' must be an Amazon Connect phone number ARN "
                          f"(arn:aws:connect:REGION:ACCOUNT:phone-number/ID) or empty, got {phone_number_arn!r}")
    text = flows.string(key + "opening_hours_text", "Monday to Friday, 8 AM to 8 PM")
    if "{{" in text or "}}" in text or len(text) > 200:
        raise ConfigError(f"cdk.json context '{key}opening_hours_text' must be at most 200 characters without "
                          f"{{{{ or }}}}, got {text!r}")
    return FlowsConfig(
        directory=flows.string(key + "directory", "contact_flows"),
        queue_arns=_arn_map(flows, key + "queue_arns", "queue"),
        hours_arns=_arn_map(flows, key + "hours_arns", "operating-hours"),
        queue_hours=flows.string(key + "queue_hours", "customer_service", pattern=re.compile(r"[a-z][a-z0-9_]*"),
                                 expected="a lowercase hours name like 'customer_service'"),
        opening_hours=opening_hours,
        phone_number_arn=phone_number_arn,
        phone_number_flow=flows.string(key + "phone_number_flow", "main"),
        opening_hours_text=text,
        website=flows.string(key + "website", "www.example.com", pattern=_WEBSITE,
                             expected="a host name with an optional path, like 'www.example.com/help'"),
        long_wait_seconds=flows.integer(key + "long_wait_seconds", 300, minimum=10, maximum=86400),
        long_queue_contacts=flows.integer(key + "long_queue_contacts", 10, minimum=1, maximum=100000),
    )
