"""Configuration: every wrong value stops synth with one line naming the key (OPS-4)."""
from __future__ import annotations

import pytest

from configuration.errors import ConfigError
from configuration.model import load_config


def test_the_shipped_cdk_json_is_a_valid_configuration(cdk_context):
    config = load_config(cdk_context)
    assert config.connect_instance.region == "us-east-1"
    assert config.connect_instance.account == "111122223333"
    assert config.default_language == "en-US"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("environment", None, "cdk.json context 'environment' is missing"),
        ("environment", "Prod!", "cdk.json context 'environment' must be lowercase letters, digits and dashes, 1-20 characters, starting with a letter, got 'Prod!'"),
        ("connect_instance_arn", "arn:aws:connect:us-east-1:123:instance/x", "cdk.json context 'connect_instance_arn' must be an Amazon Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/UUID), got 'arn:aws:connect:us-east-1:123:instance/x'"),
        ("time_zone", "Europe/Atlantis", "cdk.json context 'time_zone' must be an IANA time zone like 'America/New_York', got 'Europe/Atlantis'"),
        ("languages", ["english"], "cdk.json context 'languages' must be a list of language codes like 'en-US', got ['english']"),
        ("languages", [], "cdk.json context 'languages' must list at least one language code"),
        ("alarm_emails", ["oncall@example.com", "not-an-email"], "cdk.json context 'alarm_emails' must be a list of email addresses, got ['oncall@example.com', 'not-an-email']"),
        ("log_retention_days", 10, "cdk.json context 'log_retention_days' must be one of CloudWatch's retention periods"),
        ("messages_cache_ttl_seconds", "0", "cdk.json context 'messages_cache_ttl_seconds' must be a whole number from 1 to 3600, got 0"),
        ("backend_base_url", "http://api.example.com", "cdk.json context 'backend_base_url' must be an https:// URL, got 'http://api.example.com'"),
        ("dips", {"order_status": {"budget_ms": 9000}}, "cdk.json context 'dips.order_status.budget_ms' must be a whole number from 200 to 7500, got 9000"),
        ("dips", {"order_lookup": {"budget_ms": 1000}}, "cdk.json context 'dips.order_lookup' is not a known function"),
        ("dips", {"order_status": {"budget": 1000}}, "cdk.json context 'dips.order_status.budget' is not a known setting: did you mean 'budget_ms'?"),
        ("alarm_email", ["oncall@example.com"], "cdk.json context 'alarm_email' is not a known setting: did you mean 'alarm_emails'?"),
        ("dips.order_status.budget_ms", "50", "cdk.json context 'dips.order_status.budget_ms' is not a setting: give 'dips' whole, e.g. -c 'dips={...}' with JSON"),
    ],
)
def test_a_wrong_value_is_refused_with_a_message_naming_the_key(cdk_context, key, value, message):
    with pytest.raises(ConfigError) as error:
        load_config({**cdk_context, key: value})
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_values_given_on_the_command_line_arrive_as_strings_and_are_converted(cdk_context):
    config = load_config({**cdk_context, "messages_cache_ttl_seconds": "45", "alarm_emails": "a@example.com,b@example.com"})
    assert config.messages.cache_ttl_seconds == 45
    assert config.monitoring.alarm_emails == ("a@example.com", "b@example.com")


def test_a_dips_time_limit_in_the_flow_and_its_lambda_timeout_derive_from_one_budget(cdk_context):
    config = load_config({**cdk_context, "dips": {"order_status": {"budget_ms": 3000}}})
    dip = config.dip("order_status")
    assert dip.invocation_time_limit_seconds == 4  # budget + delivery margin, rounded up
    assert dip.lambda_timeout_seconds == dip.invocation_time_limit_seconds
    longest = load_config({**cdk_context, "dips": {"order_status": {"budget_ms": 7500}}}).dip("order_status")
    assert longest.invocation_time_limit_seconds == 8  # Connect's maximum for a synchronous call


def test_the_cdks_own_context_keys_are_not_mistaken_for_typos(cdk_context):
    config = load_config({**cdk_context, "@aws-cdk/core:newStyleStackSynthesis": True, "aws:cdk:enable-path-metadata": True})
    assert config.environment == cdk_context["environment"]



def test_every_kind_of_value_given_on_the_command_line_is_converted(cdk_context):
    config = load_config({
        **cdk_context,
        "backend_api_key_secret_exists": "true",
        "monitoring_enabled": "False",
        "languages": '["fr-FR", "en-US"]',
        "dips": '{"order_status": {"budget_ms": "2500", "reserved_concurrency": "4"}}',
        "alarm_thresholds": '{"flow_errors": "2"}',
    })
    assert config.backend.api_key_secret_exists is True and config.monitoring.enabled is False
    assert config.languages == ("fr-FR", "en-US") and config.default_language == "fr-FR"
    assert (config.dip("order_status").budget_ms, config.dip("order_status").reserved_concurrency) == (2500, 4)
    assert config.dip("order_status").memory_mb == 256 and config.dip("interaction_log").backend_max_attempts == 5  # defaults kept
    assert config.monitoring.thresholds.flow_errors == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"languages": "[en-US"}, "cdk.json context 'languages' must be a list of language codes like 'en-US', got '[en-US'"),
        ({"backend_api_key_secret_exists": "yes"}, "cdk.json context 'backend_api_key_secret_exists' must be true or false, got 'yes'"),
        ({"dips": {"order_status": {"budget_ms": None}}}, "cdk.json context 'dips.order_status.budget_ms' is missing"),
        ({"dips": {"order_status": "fast"}}, "cdk.json context 'dips.order_status' must be an object, got 'fast'"),
        ({"backend_base_url": None}, "cdk.json context 'backend_base_url' is missing"),
        ({"connect_instance_arn": None}, "cdk.json context 'connect_instance_arn' is missing"),
        ({"xyzzy": 1}, "cdk.json context 'xyzzy' is not a known setting: expected one of ['environment', 'connect_instance_arn',"),
    ],
)
def test_a_value_typed_wrong_or_left_out_is_refused_in_one_line(cdk_context, overrides, message):
    with pytest.raises(ConfigError) as error:
        load_config({**cdk_context, **overrides})
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_a_section_given_as_null_takes_its_defaults(cdk_context):
    config = load_config({**cdk_context, "sms_deflection": None, "flows": None, "alarm_thresholds": None})
    assert config.sms.channel == "sns" and config.flows.directory == "contact_flows"
    assert config.monitoring.thresholds.period_minutes == 5
    assert config.monitoring.connect_flow_log_group == f"/aws/connect/connect-ivr-{cdk_context['environment']}"


def test_the_configuration_cannot_be_changed_once_read(cdk_context):
    config = load_config(cdk_context)
    with pytest.raises(ValueError):
        config.environment = "prod"  # type: ignore[misc]
    with pytest.raises(ValueError):
        config.dip("order_status").budget_ms = 1  # type: ignore[misc]
