"""`ivr call` as a user runs it: local AWS and the fake backend start and stop by themselves."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ivr.cli import main
from tests.simulator.conftest import act, end, flow
from tests.simulator.test_reference_flows import REFERENCE


def test_scripted_call_prints_the_transcript(capsys):
    code = main(["call", str(REFERENCE / "customer_support_menu.json"), "--keys", "2", "--at", "2026-11-24T10:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert "IVR:    Welcome to customer support." in out
    assert "CALLER: presses 2" in out
    assert "OUTCOME: transferred to queue '30acac61-0327-4b4c-85b4-f0cbbf377a99'" in out


def test_backend_timeout_on_christmas_as_json(capsys):
    environment_before = dict(os.environ)
    code = main(["call", "main", "--keys", "1 12345678#", "--at", "2026-12-25T10:00",
                 "--backend-fault", "timeout:/orders", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert any("closed today for Christmas" in line for line in result["heard"])
    dips = {e["function"]: e for e in result["events"] if e["kind"] == "dip"}
    assert dips["order_status"]["response"]["timeout"] == "true"
    assert result["outcome"]["kind"] == "disconnected"
    assert result["outcome"]["attributes"]["order_lookup_timeout"] == "true"
    assert dict(os.environ) == environment_before  # the call's environment is gone with it


def test_backend_fault_names_come_from_the_fake_backends_one_table(monkeypatch, capsys):
    from fake_backend import server

    monkeypatch.setitem(server.FAULT_ALIASES, "gremlins", "error_500")
    code = main(["call", "main", "--keys", "1 12345678#", "--at", "2026-11-24T10:00",
                 "--backend-fault", "gremlins:/orders", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    dips = {e["function"]: e for e in result["events"] if e["kind"] == "dip"}
    assert dips["order_status"]["response"]["result"] == "ERROR"


def test_interactive_call_reads_keys_at_each_prompt(monkeypatch, capsys):
    answers = iter(["2"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code = main(["call", str(REFERENCE / "customer_support_menu.json"), "--at", "2026-11-24T10:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Press 1 for Billing" in out and "OUTCOME: transferred to queue" in out


def test_a_flow_defect_exits_1_with_the_action_named(tmp_path, capsys):
    (tmp_path / "broken.json").write_text(json.dumps(flow("x", act("x", "Start", {}, "end"), end())))
    code = main(["call", "broken", "--flows-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "action 'x' (Start): 'Start' is not an action type of the Amazon Connect flow language" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("arguments, message", [
    (["nosuchflow"], "no flow named 'nosuchflow'"),
    (["main", "--keys", "1 x"], "'x' is not phone keys"),
    (["main", "--at", "christmas"], "--at 'christmas' is not an ISO date-time"),
    (["main", "--caller", "5555550123"], "must be in E.164"),
    (["main", "--backend-fault", "gremlins"], "unknown backend fault 'gremlins'"),
    (["main", "--fail-action", "to-agent"], "--fail-action 'to-agent' must be FLOW:ACTION, like main:to-agent"),
    (["main", "--fail-action", "mian:to-agent"], "--fail-action 'mian:to-agent': no flow named 'mian'"),
    (["main", "--fail-action", "main:to-agnet"], "--fail-action 'main:to-agnet': flow 'main' has no action 'to-agnet'"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, arguments, message):
    assert main(["call", *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_bad_messages_file_is_refused(tmp_path, capsys):
    bad = tmp_path / "messages.yaml"
    bad.write_text("messages:\n  - id: x\n    scope: center\n")
    assert main(["call", "main", "--messages", str(bad)]) == 2
    assert "messages not loaded" in capsys.readouterr().err


def test_a_wrong_cdk_json_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys):
    from ivr.simulator import services

    (tmp_path / "cdk.json").write_text(json.dumps({"context": {"time_zone": "Mars/Base"}}))
    monkeypatch.setattr(services, "REPO_ROOT", tmp_path)
    assert main(["call", "main", "--keys", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ivr call: error: cdk.json context ") and "\n" not in err


def _ivr_call(*arguments: str, keys: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ivr", "call", *arguments], input=keys, capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[2], timeout=120)


def test_keys_piped_on_stdin_answer_the_prompts_one_line_each():
    result = _ivr_call("main", "--at", "2026-11-24T10:00", "--json", keys="1\n12345678#\n")
    assert result.returncode == 0, result.stderr
    call = json.loads(result.stdout)
    pressed = [e.get("keys") for e in call["events"] if e["kind"] == "input"]
    assert pressed[:2] == ["1", "12345678"]
    assert any(line.startswith("I found it. Order 1 2 3 4 5 6 7 8") for line in call["heard"])
    assert call["outcome"]["attributes"]["order_result"] == "FOUND"


def test_a_reader_that_goes_away_ends_the_command_quietly():
    """`ivr call ... --json | head`: no traceback when the pipe closes, and the shell's 128 + SIGPIPE."""
    call = subprocess.Popen([sys.executable, "-m", "ivr", "call", "main", "--keys", "1 12345678#", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    call.stdout.close()  # the reader is gone before the transcript is written
    errors = call.stderr.read().decode()
    call.stderr.close()
    assert (call.wait(timeout=120), errors) == (141, "")


def test_a_bad_piped_line_is_one_error_line_naming_it_and_exit_2():
    result = _ivr_call(str(REFERENCE / "customer_support_menu.json"), keys="\n2x\n")
    assert result.returncode == 2
    assert result.stderr.strip() == ("ivr call: error: stdin line 2: '2x' is not phone keys: use digits, * and #, "
                                     "{code} for the code texted, '-' for no key, 'wait:5m', 'hangup'")


def test_piped_lines_empty_means_no_key_and_eof_ends_the_answers():
    from ivr.simulator.callers import Answer, Prompt, ScriptedCaller, keys_from_lines

    caller = ScriptedCaller(keys_from_lines("\n1 2\nhangup\n"))
    menu = Prompt("Press 1", store=False, timeout_seconds=5)
    assert [caller.answer(menu) for _ in range(5)] == [None, Answer("1"), Answer("2"), Answer("", hang_up=True), None]


def test_without_a_flow_the_call_starts_where_the_phone_number_leads_with_one_language_no_menu(capsys):
    code = main(["call", "--keys", "2", "--at", "2026-11-24T10:00", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["flow"] == "main"
    assert result["heard"][0] == "Thanks for calling."  # no language menu before the greeting
    assert not any("español" in line for line in result["heard"])


def test_language_runs_the_flows_variant_in_that_language_with_its_voice(capsys):
    code = main(["call", "main", "--language", "es-US", "--keys", "2", "--at", "2026-11-24T10:00"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Call to flow 'main_es_us'" in out
    assert "NOTE:   voice: Lupe (Neural)" in out and "NOTE:   language: es-US" in out
    assert "IVR:    Gracias por llamar." in out
    assert "IVR:    Lo comunico con nuestro equipo de facturación." in out
