"""When the center opens again (MSG-5): computed from the hours and the closures, in the caller's
language, and an operator is warned about a text whose day or time the hours contradict."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from configuration.flows import DEFAULT_OPENING_HOURS
from ivr.messages.center import load_center
from lambdas.closure_check.model import Message, Window, validate
from lambdas.closure_check.reopening import hours_json, parse_hours, spoken
from lambdas.closure_check.selection import answer, choose
from lambdas.messages_editing.guards import concerns, contradicted_hours
from tests.messages.test_selection import NY, at

HOURS = parse_hours(hours_json({day: (span[:5], span[6:]) for day, span in DEFAULT_OPENING_HOURS.items()}))  # Mon-Fri 8-20


def closure(id: str, window: Window, texts: dict[str, str] | None = None) -> Message:
    return validate(Message(id=id, scope="CENTER", kind="HOLIDAY", effect="CLOSE", window=window,
                            texts=texts or {"en-US": "Closed. We open again {reopening}.",
                                            "es-US": "Cerrado. Abrimos de nuevo {reopening}."}))


def heard(messages: list[Message], when: str, language: str = "en-US", **call) -> str:
    return answer(choose(messages, at(when), center_tz=NY, language=language, hours=HOURS, **call))["message"]


CHRISTMAS = closure("christmas", Window("YEARLY", "12-25"))
EVE = closure("eve", Window("INSTANTS", "2026-12-24T14:00", "2026-12-25T00:00", NY))
STORM = closure("storm", Window("INSTANTS", "2026-11-24T09:00", "2026-11-24T13:30", NY))


@pytest.mark.parametrize("messages, when, expected", [
    ([CHRISTMAS], "2026-12-25T15:00Z", "on Monday at 8 AM"),  # Friday: the weekend is closed too
    ([EVE, CHRISTMAS], "2026-12-24T20:00Z", "on Monday at 8 AM"),  # the early close runs into Christmas
    ([STORM], "2026-11-24T15:00Z", "today at 1:30 PM"),  # a timed closure ends during opening hours
    ([closure("thursday", Window("DATES", "2026-11-26", "2026-11-26"))], "2026-11-26T15:00Z", "tomorrow at 8 AM"),
    ([closure("long", Window("DATES", "2026-12-01", "2026-12-20"))], "2026-12-01T15:00Z", "on Monday, December 21 at 8 AM"),
])
def test_the_reopening_is_computed_from_the_hours_and_every_closure(messages, when, expected):
    assert heard(messages, when) == f"<speak>Closed. We open again {expected}.</speak>"


def test_the_reopening_is_said_in_the_callers_language():
    assert heard([CHRISTMAS], "2026-12-25T15:00Z", "es-US") == \
        "<speak>Cerrado. Abrimos de nuevo el lunes a las 8 de la mañana.</speak>"


@pytest.mark.parametrize("reopens, language, expected", [
    ("2026-11-24T13:30", "es-US", "hoy a la 1:30 de la tarde"),
    ("2026-11-25T08:00", "es-US", "mañana a las 8 de la mañana"),
    ("2026-11-27T20:15", "es-US", "el viernes a las 8:15 de la noche"),
    ("2026-12-21T08:00", "es-US", "el lunes 21 de diciembre a las 8 de la mañana"),
    ("2026-11-27T12:00", "en-US", "on Friday at 12 PM"),
    (None, "es-US", "en nuestro horario habitual"),
])
def test_each_language_says_the_day_and_the_time_its_own_way(reopens, language, expected):
    moment = None if reopens is None else datetime.fromisoformat(reopens).replace(tzinfo=ZoneInfo(NY))
    assert spoken(moment, at("2026-11-24T15:00Z"), NY, language) == expected  # the call: Tuesday 10 AM


def test_without_hours_the_reopening_is_still_a_sentence():
    choice = choose([CHRISTMAS], at("2026-12-25T15:00Z"), center_tz=NY)
    assert answer(choice)["message"] == "<speak>Closed. We open again during our regular hours.</speak>"


def test_the_seed_messages_never_type_a_reopening_the_hours_contradict():
    from ivr.messages.local import SEED_FILE
    from lambdas.messages_editing.documents import load_file

    center = load_center()
    assert [reason for message in load_file(SEED_FILE) for reason in contradicted_hours(message, center)] == []
    thanksgiving = next(m for m in load_file(SEED_FILE) if m.id == "thanksgiving-2026")
    assert "We will be back on Monday at 8 AM" in heard([thanksgiving], "2026-11-26T16:00Z")


@pytest.mark.parametrize("text, reason", [
    ("We will be back on Saturday at 8 AM.", "the text says 'Saturday', but the center is closed on Saturdays"),
    ("Volvemos el domingo.", "the text says 'domingo', but the center is closed on Sundays"),
    ("We open again at 9 p.m.", "the text says '9 p.m', but the center is never open then"),
])
def test_a_text_that_contradicts_the_hours_is_a_concern(text, reason):
    message = closure("typed", Window("YEARLY", "12-25"), {"en-US": text})
    found = concerns(message, load_center(), at("2026-12-01T12:00Z"))
    assert len(found) == 1 and reason in found[0] and "{reopening}" in found[0]


def test_a_text_the_hours_agree_with_is_no_concern():
    message = closure("fine", Window("YEARLY", "12-25"), {"en-US": "Closed on Thursday and Friday; back Monday at 8 AM, open until 8 PM."})
    assert contradicted_hours(message, load_center()) == []


def test_a_closure_with_no_end_says_no_day():
    storm = closure("storm", Window())  # closed until someone disables it: no reopening to announce
    assert heard([storm], "2026-11-24T15:00Z") == "<speak>Closed. We open again during our regular hours.</speak>"
