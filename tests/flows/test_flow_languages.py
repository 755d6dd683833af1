"""CX-12 in `ivr flows check`: with several languages, every prompt of our flows has a text in each,
and a missing or unfaithful translation fails the check with where and what to add."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flow_language.translations import load_translations, prompts, variant
from ivr.cli import main

REPOSITORY = Path(__file__).resolve().parents[2]


def check(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(["flows", "check", "--strict", *argv])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def flows_copy(tmp_path, monkeypatch) -> Path:
    """A copy of contact_flows/ to break, checked from its parent (no cdk.json there)."""
    shutil.copytree(REPOSITORY / "contact_flows", tmp_path / "contact_flows")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "contact_flows"


def test_our_flows_have_every_prompt_in_spanish(capsys, monkeypatch):
    monkeypatch.chdir(REPOSITORY)
    assert check(capsys, "--languages", "en-US,es-US") == (0, [])


def test_a_prompt_without_its_spanish_text_fails_the_check_saying_where_to_add_it(capsys, flows_copy):
    spanish = flows_copy / "prompts" / "es-US.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("  greeting: Gracias por llamar.\n", ""), encoding="utf-8")
    code, lines = check(capsys, "--languages", "en-US,es-US")
    assert code == 1
    assert lines == ["contact_flows/main.json:greeting: error: no es-US text for this prompt: add to "
                     "contact_flows/prompts/es-US.yaml, under `main:`, the line `greeting: <in es-US: 'Thanks for calling.'>` "
                     "(CX-12)"]
    assert check(capsys, "--languages", "en-US") == (0, [])  # one language: nothing to translate


def test_a_translation_that_drops_a_placeholder_or_names_a_removed_prompt_fails(capsys, flows_copy):
    spanish = flows_copy / "prompts" / "es-US.yaml"
    text = spanish.read_text(encoding="utf-8").replace("Hola $.Attributes.first_name,", "Hola,")
    spanish.write_text(text.replace("\norder_status:\n", "\norder_status:\n  old-prompt: Hola.\n"), encoding="utf-8")
    code, lines = check(capsys, "--languages", "en-US,es-US")
    assert code == 1
    assert [line.split(": error: ")[0] for line in lines] == [
        "contact_flows/main.json:greeting-by-name", "contact_flows/order_status.json:-"]
    assert "has none where the default text has $.Attributes.first_name" in lines[0]
    assert "translates `order_status: old-prompt`, which is not a prompt of this flow" in lines[1]


def test_without_the_option_the_check_takes_cdk_jsons_languages(capsys, flows_copy):
    cdk_json = json.loads((REPOSITORY / "cdk.json").read_text())
    cdk_json["context"].update(languages=["en-US", "fr-CA"], flows={"opening_hours_texts": {"fr-CA": "du lundi au vendredi"}})
    (flows_copy.parent / "cdk.json").write_text(json.dumps(cdk_json), encoding="utf-8")
    code, lines = check(capsys)
    assert code == 1
    menu = "contact_flows/language_menu.json:-: error: the language menu offers no way to fr-CA"
    assert [line for line in lines if line.startswith(menu)] != []
    assert lines and all("no fr-CA text for this prompt: add to contact_flows/prompts/fr-CA.yaml" in line
                         for line in lines if not line.startswith(menu))


def test_a_variant_speaks_the_translation_and_transfers_to_the_same_languages_flows():
    folder = REPOSITORY / "contact_flows"
    translations = load_translations(folder, ["es-US"])
    main_flow = json.loads((folder / "main.json").read_text())
    spanish = variant(main_flow, "main", "es-US", translations, {"main", "after_hours", "agent_transfer", "order_status",
                                                                "customer_queue"}, {"language": "es-US"})
    texts = {prompt.action_id: prompt.text for prompt in prompts(spanish)}
    assert texts["greeting"] == "Gracias por llamar."
    targets = {a["Parameters"].get("ContactFlowId") for a in spanish["Actions"] if a["Type"] == "TransferToFlow"}
    assert targets == {"{{order_status_es_us_flow_arn}}", "{{agent_transfer_es_us_flow_arn}}", "{{after_hours_es_us_flow_arn}}"}
    hooks = next(a for a in spanish["Actions"] if a["Type"] == "UpdateContactEventHooks")["Parameters"]["EventHooks"]
    assert hooks == {"CustomerQueue": "{{customer_queue_es_us_flow_arn}}"}
