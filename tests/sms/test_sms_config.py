"""SMS deflection settings in cdk.json: a wrong value stops synth with one line naming the key (OPS-4)."""
from __future__ import annotations

import pytest

from configuration.errors import ConfigError
from configuration.model import load_config

ORIGINATION = "arn:aws:sms-voice:us-east-1:111122223333:pool/pool-0123456789abcdef"


def config_with(cdk_context: dict, **sms):
    return load_config({**cdk_context, "sms_deflection": sms})


def test_defaults_send_by_sns_with_an_opt_out_word_in_the_message(cdk_context):
    sms = load_config(cdk_context).sms
    assert sms.channel == "sns" and sms.enrollment_source == "backend"
    assert "Reply STOP to opt out." in sms.message and "15 minutes" in sms.message
    assert (sms.rate_limit_max_messages, sms.rate_limit_window_minutes) == (3, 1440)


def test_the_message_is_rendered_from_brand_minutes_and_opt_out_word(cdk_context):
    sms = config_with(cdk_context, brand_name="Acme", reply_within_minutes="5", opt_out_words=["ARRET", "STOP"],
                      message_template="{brand}: an agent replies within {minutes} min. Text {opt_out_word} to stop.").sms
    assert sms.message == "Acme: an agent replies within 5 min. Text ARRET to stop."


def test_an_sns_origination_number_is_a_possible_e164_number(cdk_context):
    assert config_with(cdk_context, origination_identity="+14155550123").sms.origination_identity == "+14155550123"
    with pytest.raises(ConfigError, match="must be an E.164 origination number for channel sns, or empty, got '\\+1415555012'"):
        config_with(cdk_context, origination_identity="+1415555012")  # E.164 in form, one digit short for a US number


def test_end_user_messaging_with_a_pool(cdk_context):
    sms = config_with(cdk_context, channel="end_user_messaging", origination_identity=ORIGINATION, configuration_set="ivr").sms
    assert (sms.channel, sms.origination_identity, sms.configuration_set) == ("end_user_messaging", ORIGINATION, "ivr")


@pytest.mark.parametrize(
    ("sms", "message"),
    [
        ({"channel": "pinpoint"}, "cdk.json context 'sms_deflection.channel' must be one of ['end_user_messaging', 'sns'], got 'pinpoint'"),
        ({"channel": "end_user_messaging"}, "cdk.json context 'sms_deflection.origination_identity' is missing"),
        ({"channel": "end_user_messaging", "origination_identity": "+14155550100"}, "cdk.json context 'sms_deflection.origination_identity' must be the ARN of an End User Messaging phone number, pool or sender id"),
        ({"origination_identity": "555-0100"}, "cdk.json context 'sms_deflection.origination_identity' must be an E.164 origination number for channel sns, or empty"),
        ({"configuration_set": "ivr"}, "cdk.json context 'sms_deflection.configuration_set' must be an End User Messaging configuration set name (channel end_user_messaging only)"),
        ({"opt_out_words": ["stop"]}, "cdk.json context 'sms_deflection.opt_out_words' must be a list of upper-case keywords like 'STOP'"),
        ({"opt_out_words": []}, "cdk.json context 'sms_deflection.opt_out_words' must list at least one keyword"),
        ({"enrollment_source": "crm"}, "cdk.json context 'sms_deflection.enrollment_source' must be one of ['backend', 'table', 'none'], got 'crm'"),
        ({"enrollment_source": "table"}, "cdk.json context 'sms_deflection.enrollment_table_name' is missing"),
        ({"push_webhook_url": "http://push.example.com"}, "cdk.json context 'sms_deflection.push_webhook_url' must be an https:// URL or empty"),
        ({"unknown_line_type": "maybe"}, "cdk.json context 'sms_deflection.unknown_line_type' must be one of ['send', 'refuse'], got 'maybe'"),
        ({"rate_limit_max_messages": 0}, "cdk.json context 'sms_deflection.rate_limit_max_messages' must be a whole number from 1 to 100, got 0"),
        ({"rate_limit_window_minutes": "forever"}, "cdk.json context 'sms_deflection.rate_limit_window_minutes' must be a whole number from 1 to 10080"),
        ({"reply_within_minutes": -1}, "cdk.json context 'sms_deflection.reply_within_minutes' must be a whole number from 1 to 1440"),
        ({"message_template": "Text {brand} now"}, "cdk.json context 'sms_deflection.message_template' must tell the caller how to opt out"),
        ({"message_template": "Hi {name}, reply {opt_out_word}"}, "cdk.json context 'sms_deflection.message_template' may use only {brand}, {minutes} and {opt_out_word}, got ['name']"),
        ({"message_template": "Reply {opt_out_word} {"}, "cdk.json context 'sms_deflection.message_template' is not a valid template"),
        ({"message_template": "x" * 1600 + " Reply {opt_out_word}"}, "cdk.json context 'sms_deflection.message_template' renders to 1611 characters; an SMS body holds at most 1600"),
        ({"rate_limit": 3}, "cdk.json context 'sms_deflection.rate_limit' is not a known setting"),
    ],
)
def test_a_wrong_setting_is_refused_with_one_line_naming_it(cdk_context, sms, message):
    with pytest.raises(ConfigError) as error:
        config_with(cdk_context, **sms)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_section_itself_must_be_an_object(cdk_context):
    with pytest.raises(ConfigError, match="cdk.json context 'sms_deflection' must be an object"):
        load_config({**cdk_context, "sms_deflection": ["sns"]})
