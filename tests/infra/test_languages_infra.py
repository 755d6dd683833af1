"""A deployment in English and Spanish (CX-12): one synthesis with `languages` ["en-US", "es-US"].

Each flow is deployed again in Spanish (its prompts from contact_flows/prompts/es-US.yaml, its
transfers and event hooks to the Spanish flows), the Spanish entry flow sets the Spanish voice and
language for the contact, the language menu is deployed and the phone number points at it, and
every deployed flow, the variants too, keeps PII out of the flow logs."""
from __future__ import annotations

import json

import pytest

from flow_language.translations import LANGUAGE_MENU
from testkit.flow_logging import problems
from testkit.template_reading import of_type
from tests.infra.test_flows_infra import FLOWS_DIR, PHONE_NUMBER, content, flow_named, resolve


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory) -> dict:
    from app import build_app

    overrides = {"monitoring_enabled": False, "languages": ["en-US", "es-US"], "flows": {"phone_number_arn": PHONE_NUMBER}}
    app, stack = build_app(context_overrides=overrides, outdir=str(tmp_path_factory.mktemp("two_languages")))
    return app.synth().get_stack_by_name(stack.stack_name).template  # cdk-nag passes too


def names(template: dict) -> set[str]:
    return {r["Properties"]["Name"] for r in of_type(template, "AWS::Connect::ContactFlow").values()}


def test_each_flow_is_deployed_in_spanish_too_and_the_language_menu_once(two_languages):
    stems = [p.stem for p in FLOWS_DIR.glob("*.json") if p.stem != LANGUAGE_MENU]
    assert names(two_languages) == {f"ivr-dev-{stem}" for stem in stems} | {f"ivr-dev-{stem}_es_us" for stem in stems} \
        | {f"ivr-dev-{LANGUAGE_MENU}"}


def test_the_spanish_main_flow_speaks_spanish_with_a_spanish_voice_and_stays_in_spanish(two_languages):
    main_id, main = flow_named(two_languages, "main_es_us")
    flow, intrinsics = content(main)
    by_id = {a["Identifier"]: a for a in flow["Actions"]}
    assert by_id["voice"]["Parameters"] == {"TextToSpeechVoice": "Lupe", "TextToSpeechEngine": "Neural"}
    assert by_id["language"]["Parameters"] == {"LanguageCode": "es-US"}
    assert by_id["greeting"]["Parameters"]["Text"] == "Gracias por llamar."
    targets = {json.dumps(resolve(a["Parameters"]["ContactFlowId"], intrinsics)) for a in flow["Actions"]
               if a["Type"] == "TransferToFlow"}
    spanish = {flow_named(two_languages, f"{stem}_es_us")[0] for stem in ("order_status", "agent_transfer", "after_hours")}
    assert {next(s for s in spanish if s in target) for target in targets} == spanish
    hook = json.dumps(resolve(by_id["queue-experience"]["Parameters"]["EventHooks"]["CustomerQueue"], intrinsics))
    assert flow_named(two_languages, "customer_queue_es_us")[0] in hook
    english, _ = content(flow_named(two_languages, "main")[1])
    assert {a["Identifier"]: a for a in english["Actions"]}["voice"]["Parameters"]["TextToSpeechVoice"] == "Joanna"


def test_the_opening_hours_are_said_in_spanish(two_languages):
    flow, _ = content(flow_named(two_languages, "after_hours_es_us")[1])
    said = json.dumps([a["Parameters"] for a in flow["Actions"] if a["Type"] == "MessageParticipant"], ensure_ascii=False)
    assert "de lunes a viernes, de 8 de la mañana a 8 de la noche" in said and "Monday" not in said


def test_the_phone_number_is_pointed_at_the_language_menu(two_languages):
    (association,) = of_type(two_languages, "Custom::AWS").values()
    menu_id, _ = flow_named(two_languages, LANGUAGE_MENU)
    assert menu_id in json.dumps(association["Properties"]["Create"])


def test_every_flow_in_every_language_keeps_pii_out_of_the_flow_logs(two_languages):
    flows = {r["Properties"]["Name"]: content(r)[0] for r in of_type(two_languages, "AWS::Connect::ContactFlow").values()}
    assert [problem for name, flow in sorted(flows.items()) for problem in problems(flow, name)] == []
