"""What a caller hears (MSG-1, CX-8): the selection the Lambda and `ivr messages preview` share."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lambdas.closure_check.model import Message, MessageError, Window, to_ssml, validate
from lambdas.closure_check.selection import answer, choose

NY = "America/New_York"


ALWAYS = Window()


def msg(id="m", scope="CENTER", kind="HOLIDAY", effect="CLOSE", window=ALWAYS, priority=0, enabled=True,
        updated_at="2026-01-01T00:00:00.000000Z", texts=None) -> Message:
    return validate(Message(id=id, scope=scope, kind=kind, effect=effect, window=window, priority=priority,
                            enabled=enabled, updated_at=updated_at, texts=texts or {"en-US": f"message {id}"}))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def winner(messages, when, **kwargs):
    choice = choose(messages, at(when), center_tz=NY, **kwargs)
    return (choice.message.id if choice.message else None), choice.result


def test_nothing_active_is_open():
    assert winner([msg(window=Window("DATES", "2026-12-25", "2026-12-25"))], "2026-12-26T12:00Z") == (None, "OPEN")
    assert answer(choose([], at("2026-12-26T12:00Z"))) == {"closed": False, "kind": "", "message": "", "message_format": "", "message_id": ""}


def test_emergency_beats_holiday_beats_announcement_whatever_the_priority():
    messages = [
        msg("announce", kind="ANNOUNCEMENT", effect="ANNOUNCE", priority=999),
        msg("holiday", kind="HOLIDAY", priority=500),
        msg("storm", kind="EMERGENCY", effect="ANNOUNCE", priority=-5),
    ]
    assert winner(messages, "2026-12-25T15:00Z")[0] == "storm"
    assert winner(messages[:2], "2026-12-25T15:00Z") == ("holiday", "CLOSED")
    assert winner(messages[:1], "2026-12-25T15:00Z") == ("announce", "ANNOUNCE")


def test_an_announcement_that_wins_never_reopens_a_closed_center():
    messages = [msg("storm", kind="EMERGENCY", effect="ANNOUNCE"), msg("holiday", kind="HOLIDAY", effect="CLOSE")]
    assert winner(messages, "2026-12-25T15:00Z") == ("storm", "CLOSED")


def test_ties_go_to_priority_then_to_the_most_recent_update():
    older = msg("older", priority=1, updated_at="2026-05-01T00:00:00.000000Z")
    newer = msg("newer", priority=1, updated_at="2026-06-01T00:00:00.000000Z")
    low = msg("low", priority=0, updated_at="2026-07-01T00:00:00.000000Z")
    assert winner([older, newer, low], "2026-12-25T15:00Z")[0] == "newer"
    assert winner([older, low], "2026-12-25T15:00Z")[0] == "older"


def test_disabled_messages_never_play():
    assert winner([msg(enabled=False)], "2026-12-25T15:00Z") == (None, "OPEN")
    assert winner([msg("off", kind="EMERGENCY", enabled=False), msg("on")], "2026-12-25T15:00Z")[0] == "on"


def test_scope_center_queue_and_flow():
    messages = [msg("billing", scope="QUEUE#Billing", kind="EMERGENCY"), msg("main", scope="FLOW#Main", kind="ANNOUNCEMENT", effect="ANNOUNCE")]
    assert winner(messages, "2026-12-25T15:00Z", queue="Sales") == (None, "OPEN")
    assert winner(messages, "2026-12-25T15:00Z", queue="Billing", flow="Main")[0] == "billing"
    assert winner(messages, "2026-12-25T15:00Z", flow="Main") == ("main", "ANNOUNCE")


def test_once_the_queue_is_known_only_its_own_messages_are_asked_for():
    """The start of the call played the center's and the flow's; the queue's check must not repeat them."""
    messages = [msg("storm", scope="CENTER", kind="EMERGENCY"), msg("main", scope="FLOW#Main"),
                msg("billing", scope="QUEUE#Billing", kind="ANNOUNCEMENT", effect="ANNOUNCE")]
    assert winner(messages, "2026-12-25T15:00Z", queue="Billing", flow="Main", queue_only=True) == ("billing", "ANNOUNCE")
    assert winner(messages, "2026-12-25T15:00Z", queue="Sales", flow="Main", queue_only=True) == (None, "OPEN")
    assert winner(messages, "2026-12-25T15:00Z", queue_only=True) == (None, "OPEN")


def test_overlapping_instant_windows_and_end_is_excluded():
    first = msg("first", kind="ANNOUNCEMENT", effect="ANNOUNCE", priority=1, window=Window("INSTANTS", "2026-06-01T08:00", "2026-06-01T12:00", NY))
    second = msg("second", kind="ANNOUNCEMENT", effect="ANNOUNCE", window=Window("INSTANTS", "2026-06-01T10:00", "2026-06-01T14:00", NY))
    assert winner([first, second], "2026-06-01T11:59:59Z")[0] is None  # 07:59:59 EDT, before both
    assert winner([first, second], "2026-06-01T12:00Z")[0] == "first"  # 08:00 EDT
    assert winner([first, second], "2026-06-01T15:00Z")[0] == "first"  # 11:00 EDT, both active
    assert winner([first, second], "2026-06-01T16:00Z")[0] == "second"  # 12:00 EDT, first has ended
    assert winner([first, second], "2026-06-01T18:00Z")[0] is None  # 14:00 EDT


def test_instant_windows_follow_their_own_time_zone():
    paris = msg(window=Window("INSTANTS", "2026-07-14T00:00", "2026-07-15T00:00", "Europe/Paris"))
    assert winner([paris], "2026-07-13T21:59Z")[0] is None
    assert winner([paris], "2026-07-13T22:00Z")[0] == "m"
    assert winner([paris], "2026-07-14T21:59Z")[0] == "m"


def test_all_day_windows_across_spring_forward_and_fall_back():
    # 2026-03-08 has 23 hours in New York, 2026-11-01 has 25.
    spring = msg(window=Window("DATES", "2026-03-08", "2026-03-08"))
    assert winner([spring], "2026-03-08T04:59Z")[0] is None  # 23:59 EST on the 7th
    assert winner([spring], "2026-03-08T05:00Z")[0] == "m"  # midnight EST
    assert winner([spring], "2026-03-09T03:59Z")[0] == "m"  # 23:59 EDT
    assert winner([spring], "2026-03-09T04:00Z")[0] is None
    fall = msg(window=Window("DATES", "2026-11-01", "2026-11-01"))
    assert winner([fall], "2026-11-01T03:59Z")[0] is None  # 23:59 EDT on Oct 31
    assert winner([fall], "2026-11-02T04:59Z")[0] == "m"  # 23:59 EST, 25 hours after midnight
    assert winner([fall], "2026-11-02T05:00Z")[0] is None


def test_instant_window_ending_inside_the_dst_gap_and_overlap():
    # 02:30 does not exist on 2026-03-08 in New York: it is read with the offset before the change (EST).
    gap = msg(window=Window("INSTANTS", "2026-03-08T00:00", "2026-03-08T02:30", NY))
    assert winner([gap], "2026-03-08T07:29Z")[0] == "m"
    assert winner([gap], "2026-03-08T07:30Z")[0] is None
    # 01:30 happens twice on 2026-11-01: the first (EDT, 05:30Z) is meant.
    overlap = msg(window=Window("INSTANTS", "2026-11-01T00:00", "2026-11-01T01:30", NY))
    assert winner([overlap], "2026-11-01T05:29Z")[0] == "m"
    assert winner([overlap], "2026-11-01T05:30Z")[0] is None


def test_yearly_dates_every_year_and_across_new_year():
    christmas = msg("christmas", window=Window("YEARLY", "12-25"))
    assert winner([christmas], "2031-12-25T05:00Z")[0] == "christmas"  # midnight EST
    assert winner([christmas], "2031-12-26T04:59Z")[0] == "christmas"
    assert winner([christmas], "2031-12-26T05:00Z")[0] is None
    new_year = msg("new-year", window=Window("YEARLY", "12-31", "01-01"))
    assert winner([new_year], "2027-01-01T12:00Z")[0] == "new-year"
    assert winner([new_year], "2026-12-31T12:00Z")[0] == "new-year"
    assert winner([new_year], "2027-01-02T12:00Z")[0] is None
    assert winner([new_year], "2026-12-30T12:00Z")[0] is None


def test_language_falls_back_to_the_default():
    both = msg(texts={"en-US": "Closed today.", "es-US": "Cerrado hoy."})
    assert answer(choose([both], at("2026-12-25T15:00Z"), language="es-US"))["message"] == "<speak>Cerrado hoy.</speak>"
    assert answer(choose([both], at("2026-12-25T15:00Z"), language="fr-CA"))["message"] == "<speak>Closed today.</speak>"
    spanish_only = msg(texts={"es-US": "Cerrado hoy."})
    assert answer(choose([spanish_only], at("2026-12-25T15:00Z"), language="en-US"))["message"] == "<speak>Cerrado hoy.</speak>"


def test_message_is_always_ssml():
    plain = answer(choose([msg(texts={"en-US": "Tom & Jerry <3"})], at("2026-12-25T15:00Z")))
    assert plain["message"] == "<speak>Tom &amp; Jerry &lt;3</speak>" and plain["message_format"] == "TEXT"
    ssml = "<speak>We are closed. <break time='300ms'/> Goodbye.</speak>"
    stored = answer(choose([msg(texts={"en-US": ssml})], at("2026-12-25T15:00Z")))
    assert stored["message"] == ssml and stored["message_format"] == "SSML"
    assert to_ssml("  hi ") == "<speak>hi</speak>"


@pytest.mark.parametrize("change, error", [
    ({"texts": {"en-US": "<speak>unclosed"}}, "not well-formed XML"),
    ({"texts": {"en-US": "<p>hello</p>"}}, "<speak> as its root"),
    ({"texts": {"en-US": "   "}}, "text is empty"),
    ({"texts": {}}, "at least one language"),
    ({"texts": {"xx-YY": "hello"}}, "unknown language code 'xx-YY'"),
    ({"texts": {"en-US": "word " * 700}}, "too long for a prompt"),
    ({"window": Window("INSTANTS", "2026-12-25T10:00", "2026-12-25T09:00", NY)}, "ends (2026-12-25T09:00) before it starts"),
    ({"window": Window("DATES", "2026-12-26", "2026-12-25")}, "before it starts"),
    ({"window": Window("INSTANTS", "2026-12-25T10:00", "2026-12-25T11:00", "Mars/Olympus")}, "unknown time zone 'Mars/Olympus'"),
    ({"window": Window("INSTANTS", "2026-12-25T10:00", "2026-12-25T11:00")}, "needs a time_zone"),
    ({"window": Window("YEARLY", "13-01")}, "not valid"),
    ({"kind": "FIRE"}, "kind 'FIRE'"),
    ({"effect": "OPEN"}, "effect 'OPEN'"),
    ({"scope": "queue:"}, "scope"),
    ({"id": "Bad Id"}, "id 'Bad Id'"),
])
def test_bad_messages_are_refused_with_one_clear_line(change, error):
    fields = {"id": "m", "scope": "CENTER", "kind": "HOLIDAY", "effect": "CLOSE", "texts": {"en-US": "Closed."}, **change}
    with pytest.raises(MessageError) as raised:
        validate(Message(**fields))
    assert error in str(raised.value) and "\n" not in str(raised.value)


def test_a_window_without_its_time_zone_is_named_once():
    fields = {"id": "late-open", "scope": "CENTER", "kind": "HOLIDAY", "effect": "CLOSE", "texts": {"en-US": "Closed."},
              "window": Window("INSTANTS", "2026-12-25T10:00", "2026-12-25T11:00")}
    with pytest.raises(MessageError) as raised:
        validate(Message(**fields))
    assert str(raised.value) == ("message late-open: a window with start and end times needs a time_zone "
                                 "(IANA name like America/New_York)")
