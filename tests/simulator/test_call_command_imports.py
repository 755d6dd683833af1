"""`ivr call` on flows from elsewhere: what the caller says to a bot (--say), the data file
(--data), stubs for Lambdas with no code here (--lambda-stub), a module run on its own, and
files that are not flows at all: always one clear line, never a traceback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ivr.cli import main
from tests.simulator.test_reference_actions import BOTS, EXPORTS, PEOPLE


@pytest.fixture
def world(tmp_path: Path) -> Path:
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump({**BOTS, **PEOPLE}))
    return path


def call(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(["call", *arguments, "--flows-dir", str(EXPORTS), "--at", "2026-11-24T10:00"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_say_answers_the_bot_from_the_data_file(capsys, world):
    code, out, _ = call(capsys, str(EXPORTS / "lex_order_bot.json"), "--data", str(world), "--say", "track parcel 88")
    assert code == 0
    assert 'CALLER: says "track parcel 88"' in out
    assert "IVR:    Parcel 88 is on its way." in out


def test_a_lambda_stub_answers_for_a_function_with_no_code(capsys, tmp_path):
    stub = tmp_path / "crm.json"
    stub.write_text(json.dumps({"tier": "silver"}))
    code, out, _ = call(capsys, str(EXPORTS / "foreign_lambda.json"), "--lambda-stub", f"crmLookup={stub}")
    assert code == 0 and "IVR:    You are a silver member." in out


def test_a_module_run_on_its_own_returns_with_exit_0(capsys):
    code, out, _ = call(capsys, str(EXPORTS / "greeting_module.json"))
    assert code == 0
    assert "OUTCOME: the module returned (EndFlowModuleExecution) with outputs greeted=yes" in out


@pytest.mark.parametrize("arguments, message", [
    (["--lambda-stub", "crmLookup"], "--lambda-stub 'crmLookup' must be NAME=FILE.json"),
    (["--lambda-stub", "crmLookup="], "--lambda-stub 'crmLookup=' must be NAME=FILE.json"),
    (["--lambda-stub", "=crm.json"], "--lambda-stub '=crm.json' must be NAME=FILE.json"),
    (["--lambda-stub", "crmLookup=/nonexistent/stub.json"], "cannot read /nonexistent/stub.json"),
    (["--data", "/nonexistent/world.yaml"], "--data: /nonexistent/world.yaml: cannot be read"),
])
def test_bad_options_are_one_line_and_exit_2(capsys, arguments, message):
    code, _, err = call(capsys, str(EXPORTS / "foreign_lambda.json"), *arguments)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("content, message", [
    ("bots: [1, 2]\n", "bots must map a bot's name to its intents"),
    ("bots:\n  B: {intents: {}}\n", "bot 'B' has no intents"),
    ("weather: sunny\n", "unknown sections ['weather']"),
    ("profiles: {a: 1}\n", "profiles must be a list of mappings"),
    ("bots:\n  B: {intents: {I: {slots: {S: '('}}}}\n", "bad pattern"),
])
def test_a_bad_data_file_is_one_line_and_exit_2(capsys, tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    code, _, err = call(capsys, str(EXPORTS / "lex_order_bot.json"), "--data", str(bad))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [
    "not json at all",
    "[1, 2, 3]",
    '{"Actions": "none"}',
    '{"StartAction": 7, "Actions": [{"Identifier": 1, "Type": "MessageParticipant"}]}',
    '{"StartAction": "a", "Actions": [{"Identifier": "a", "Type": "MessageParticipant", "Parameters": [1],'
    ' "Transitions": {"NextAction": "a"}}]}',
    '{"StartAction": "a", "Actions": [{"Identifier": "a", "Type": "Start", "Transitions": {}}]}',
])
def test_any_file_is_one_line_never_a_traceback(capsys, tmp_path, content):
    odd = tmp_path / "odd.json"
    odd.write_text(content)
    code = main(["call", str(odd), "--flows-dir", str(tmp_path), "--max-steps", "20"])
    captured = capsys.readouterr()
    assert code in (1, 2)
    assert "Traceback" not in captured.out + captured.err
    lines = captured.err.strip().splitlines() if code == 2 else \
        [line for line in captured.out.splitlines() if line.startswith("OUTCOME:")]
    assert len(lines) == 1
