"""The deployment's configuration: read from `cdk.json` context and validated in one place (OPS-4).

Every key is a top-level context key, so any of them can be overridden on the command line
(`npx cdk synth -c time_zone=Europe/Paris`); values given that way arrive as strings and are
converted here. A wrong or missing value raises ConfigError with one line that names the key and
what is expected; `app.py` prints that line and exits.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from infra.errors import StopSynth

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


class ConfigError(StopSynth, ValueError):
    """One line: the context key, what it must be, what it was."""


class NodeContext:
    """The app's context (cdk.json plus `-c` overrides) with the two reads load_config needs."""

    def __init__(self, node: Any):
        self._node = node

    def __contains__(self, key: str) -> bool:
        return self._node.try_get_context(key) is not None

    def __getitem__(self, key: str) -> Any:
        return self._node.try_get_context(key)


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

    @property
    def invocation_time_limit_seconds(self) -> int:
        return math.ceil((self.budget_ms + DELIVERY_MARGIN_MS) / 1000)

    @property
    def lambda_timeout_seconds(self) -> int:
        return self.invocation_time_limit_seconds


@dataclass(frozen=True)
class BackendConfig:
    """The customer's own API that the data dips call (DD-6)."""

    base_url: str
    api_key_secret_name: str


@dataclass(frozen=True)
class MonitoringConfig:
    """Alarms and dashboard (OPS-1..3)."""

    alarm_emails: tuple[str, ...]


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

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def dip(self, name: str) -> DipConfig:
        return self.dips[name]


DEFAULT_DIPS: Mapping[str, Mapping[str, int]] = {
    "order_status": {"budget_ms": 3000},
    "customer_lookup": {"budget_ms": 2000},
    "interaction_log": {"budget_ms": 5000},
    "closure_check": {"budget_ms": 1500},
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
        settings = _NestedContext(f"dips.{name}", {**DEFAULT_DIPS[name], **context.nested("dips").mapping(f"dips.{name}", {})})
        max_budget = MAX_INVOCATION_TIME_LIMIT_SECONDS * 1000 - DELIVERY_MARGIN_MS
        dips[name] = DipConfig(
            name=name,
            budget_ms=settings.integer(f"dips.{name}.budget_ms", minimum=200, maximum=max_budget),
            memory_mb=settings.integer(f"dips.{name}.memory_mb", 256, minimum=128, maximum=10240),
            reserved_concurrency=settings.optional_integer(f"dips.{name}.reserved_concurrency", minimum=1, maximum=10000),
            provisioned_concurrency=settings.integer(f"dips.{name}.provisioned_concurrency", 0, minimum=0, maximum=10000),
        )
    return dips


def load_config(values: Mapping[str, Any]) -> IvrConfig:
    """Build the configuration from context values (the app's `node.try_get_context` view)."""
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
        ),
        dips=_dips(context),
        monitoring=MonitoringConfig(
            alarm_emails=context.string_list("alarm_emails", [], item=lambda v: bool(_EMAIL.fullmatch(v)), expected="email addresses"),
        ),
    )


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
