"""The caller's phone in a local call (issue 17): texts the IVR sends reach it, `{code}` types the code
texted, `wait:` lets time pass before the next answer."""
from __future__ import annotations

import pytest

from ivr.simulator import transcript as t
from ivr.simulator.callers import Answer, BadKeys, Prompt, ScriptedCaller, parse_keys, texted_code

CODE_PROMPT = Prompt("Enter the code, then press pound.", store=True, timeout_seconds=10, max_length=6)


def answer(caller: ScriptedCaller) -> Answer:
    given = caller.answer(CODE_PROMPT)
    assert given is not None
    return given


def test_code_stands_for_the_last_code_texted_and_wrong_code_for_another():
    caller = ScriptedCaller("{code}# {wrong_code}#")
    caller.receive_text("123456 is your verification code.")
    caller.receive_text("654321 is your verification code.")
    assert answer(caller).keys == "654321"
    assert answer(caller).keys == "654322"


def test_wait_moves_the_next_answer_on_in_time():
    caller = ScriptedCaller("wait:6m 12# wait:90s -")
    first, second = answer(caller), answer(caller)
    assert (first.keys, first.waited_seconds) == ("12", 360)
    assert (second.keys, second.waited_seconds) == ("", 90)  # waited, then let the prompt time out


def test_texted_code_finds_six_digits_only():
    assert texted_code(["Call us at 18005550100", "Your code: 042017."]) == "042017"
    assert texted_code(["no code here"]) == ""


@pytest.mark.parametrize("script", ["{code}", "{code}#", "*#", "wait:5m", "wait:30s"])
def test_code_and_wait_entries_are_keys(script):
    assert parse_keys(script) == [script]


@pytest.mark.parametrize("script", ["{pin}", "wait:5h", "wait5m"])
def test_other_braces_and_waits_are_refused(script):
    with pytest.raises(BadKeys):
        parse_keys(script)


def test_a_text_is_shown_with_the_last_two_digits_of_the_number_only():
    event = t.Event(t.TEXT, "modules/verify_caller", "send-code", {"to": "+14155550123", "text": "123456 is your code."})
    assert t.render_event(event) == "  TEXT:   [text to ...23] 123456 is your code."
