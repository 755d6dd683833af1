"""cdk.json context `flows`: defaults, and one clear line naming the key for each wrong value."""
from __future__ import annotations

import pytest

from configuration.errors import ConfigError
from configuration.model import load_config

QUEUE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555/queue/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def flows_config(cdk_context, **flows):
    return load_config({**cdk_context, "flows": flows}).flows


def test_defaults_create_queues_and_hours_open_on_weekdays(cdk_context):
    settings = flows_config(cdk_context)
    assert settings.directory == "contact_flows" and settings.queue_arns == {} and settings.hours_arns == {}
    assert settings.opening_hours == {day: ("08:00", "20:00") for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")}
    assert settings.phone_number_arn == "" and settings.phone_number_flow == "main"


def test_resources_the_app_does_not_own_are_given_by_placeholder_name(cdk_context):
    given = {"welcome_prompt_arn": QUEUE_ARN.replace("/queue/", "/prompt/"), "survey_module_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}
    assert flows_config(cdk_context, resource_arns=given).resource_arns == given
    assert flows_config(cdk_context).resource_arns == {}


def test_an_existing_queue_by_arn_is_accepted(cdk_context):
    assert flows_config(cdk_context, queue_arns={"orders": QUEUE_ARN}).queue_arns == {"orders": QUEUE_ARN}


@pytest.mark.parametrize("flows, key", [
    ({"queue_arns": {"orders": "arn:aws:connect:us-east-1:111122223333:instance/x/queue/y"}}, "flows.queue_arns.orders"),
    ({"hours_arns": {"customer_service": QUEUE_ARN}}, "flows.hours_arns.customer_service"),
    ({"opening_hours": {"MONDAY": "20:00-08:00"}}, "flows.opening_hours.MONDAY"),
    ({"opening_hours": {"Monday": "08:00-20:00"}}, "flows.opening_hours.Monday"),
    ({"website": "https://example.com/?a=1&b=2"}, "flows.website"),
    ({"opening_hours_text": "open {{always}}"}, "flows.opening_hours_text"),
    ({"phone_number_arn": "+15550100"}, "flows.phone_number_arn"),
    ({"long_wait_seconds": 0}, "flows.long_wait_seconds"),
    ({"queues": {}}, "flows.queues"),
    ({"resource_arns": {"Welcome_prompt_arn": QUEUE_ARN}}, "flows.resource_arns.Welcome_prompt_arn"),
    ({"resource_arns": {"welcome_prompt_arn": "{{welcome}}"}}, "flows.resource_arns.welcome_prompt_arn"),
    ({"resource_arns": {"welcome_prompt_arn": ""}}, "flows.resource_arns.welcome_prompt_arn"),
])
def test_a_wrong_value_names_its_key(cdk_context, flows, key):
    with pytest.raises(ConfigError, match=f"'{key}'"):
        flows_config(cdk_context, **flows)


def test_each_language_has_a_neural_voice_and_the_opening_hours_in_it_by_default(cdk_context):
    from configuration.runtime_values import language_settings

    config = load_config({**cdk_context, "languages": ["en-US", "es-US"]})
    assert language_settings(config, "es-US") == {"language": "es-US", "voice": "Lupe", "voice_engine": "Neural",
                                                  "opening_hours_text": "de lunes a viernes, de 8 de la mañana a 8 de la noche"}
    assert language_settings(config, "en-US")["voice"] == "Joanna"
    config = load_config({**cdk_context, "languages": ["en-US", "es-US"], "voices": {"es-US": "Pedro"},
                          "flows": {"opening_hours_text": "weekdays 9 to 5", "opening_hours_texts": {"es-US": "de 9 a 5"}}})
    assert language_settings(config, "es-US")["voice"] == "Pedro"
    assert language_settings(config, "es-US")["opening_hours_text"] == "de 9 a 5"


@pytest.mark.parametrize("context, message", [
    ({"languages": ["en-US", "sv-SE"]}, "cdk.json context 'voices' has no voice for sv-SE"),
    ({"languages": ["en-US", "es-US"], "voices": {"es-US": "lupe"}}, "cdk.json context 'voices.es-US' must map"),
    ({"languages": ["en-US", "es-US"], "flows": {"opening_hours_text": "weekdays 9 to 5"}},
     "cdk.json context 'flows.opening_hours_texts' has no text for es-US"),
    ({"flows": {"opening_hours_texts": {"es-US": "de {{9}} a 5"}}}, "cdk.json context 'flows.opening_hours_texts.es-US'"),
])
def test_a_language_without_a_voice_or_its_opening_hours_text_names_the_key(cdk_context, context, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        load_config({**cdk_context, **context})
