"""Which overrides the hours hold for which CLOSE messages (issue 15): the plain logic, no AWS."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lambdas.closure_check.model import Message, Window
from lambdas.hours_overrides.overrides import MAX_OVERRIDES, OWNED_PREFIX, Hours, Override, desired, plan

NEW_YORK_WEEKDAYS = Hours("America/New_York", {day: ((8 * 60, 20 * 60),) for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")})
QUEUE_HOURS = {"ivr-dev-orders": "customer_service"}
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 10:00 in New York


def close(id_: str, window: Window, *, scope: str = "CENTER", enabled: bool = True, effect: str = "CLOSE") -> Message:
    return Message(id_, scope, "HOLIDAY", effect, {"en-US": "We are closed."}, window, enabled=enabled)


def wanted(*messages: Message, hours_name: str = "customer_service", now: datetime = NOW) -> list[Override]:
    return desired(messages, hours_name, NEW_YORK_WEEKDAYS, QUEUE_HOURS, now)


def test_an_all_day_holiday_closes_its_dates():
    [override] = wanted(close("boxing-day", Window("DATES", "2026-12-26", "2026-12-28")))
    assert override.fields() == {
        "Name": "ivr-message:boxing-day",
        "Description": "Closed by the message boxing-day (ivr messages); kept in step by the app",
        "Config": [], "EffectiveFrom": "2026-12-26", "EffectiveTill": "2026-12-28", "OverrideType": "CLOSED",
    }


def test_a_yearly_holiday_recurs_every_year_from_its_next_occurrence():
    [christmas] = wanted(close("christmas", Window("YEARLY", "12-25", "12-25")))
    assert (christmas.first_day, christmas.last_day) == (date(2026, 12, 25), date(2026, 12, 25))
    assert christmas.fields()["RecurrenceConfig"] == {
        "RecurrencePattern": {"Frequency": "YEARLY", "Interval": 1, "ByMonth": [12], "ByMonthDay": [25]}}
    [passed] = wanted(close("new-year", Window("YEARLY", "01-01", "01-01")))
    assert passed.first_day == date(2027, 1, 1)  # this year's has passed


def test_a_yearly_window_over_new_year_that_has_begun_keeps_this_occurrence():
    [winter] = wanted(close("winter", Window("YEARLY", "12-24", "01-02")), now=datetime(2027, 1, 1, 15, tzinfo=UTC))
    assert (winter.first_day, winter.last_day) == (date(2026, 12, 24), date(2027, 1, 2))


def test_an_emergency_until_disabled_closes_from_today():
    [storm] = wanted(close("storm", Window()))
    assert storm.first_day == date(2026, 12, 1) and (storm.last_day - storm.first_day).days == 365


def test_a_closure_over_parts_of_days_keeps_the_regular_hours_outside_it():
    storm = close("storm", Window("INSTANTS", "2026-12-03T14:00:00", "2026-12-07T10:00:00", "America/New_York"))
    parts = wanted(storm)
    assert [(p.name, p.first_day.isoformat(), p.last_day.isoformat(), p.fields()["OverrideType"]) for p in parts] == [
        ("ivr-message:storm:1", "2026-12-03", "2026-12-03", "STANDARD"),  # Thursday: open 08:00-14:00 still
        ("ivr-message:storm:2", "2026-12-04", "2026-12-06", "CLOSED"),  # Friday to Sunday, whole days
        ("ivr-message:storm:3", "2026-12-07", "2026-12-07", "STANDARD"),  # Monday: opens at 10:00
    ]
    assert parts[0].fields()["Config"] == [{"Day": "THURSDAY", "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 14, "Minutes": 0}}]
    assert parts[2].fields()["Config"] == [{"Day": "MONDAY", "StartTime": {"Hours": 10, "Minutes": 0}, "EndTime": {"Hours": 20, "Minutes": 0}}]


def test_a_closure_outside_the_opening_hours_or_in_another_zone():
    evening = close("evening", Window("INSTANTS", "2026-12-03T21:00:00", "2026-12-03T23:00:00", "America/New_York"))
    assert wanted(evening) == []  # the hours are closed then anyway
    paris = close("paris", Window("INSTANTS", "2026-12-03T15:00:00", "2026-12-03T20:00:00", "Europe/Paris"))
    [part] = wanted(paris)  # 09:00-14:00 in New York
    assert part.fields()["Config"] == [
        {"Day": "THURSDAY", "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 9, "Minutes": 0}},
        {"Day": "THURSDAY", "StartTime": {"Hours": 14, "Minutes": 0}, "EndTime": {"Hours": 20, "Minutes": 0}},
    ]


def test_ended_disabled_announcing_and_other_queues_messages_make_no_override():
    assert wanted(
        close("last-week", Window("DATES", "2026-11-20", "2026-11-22")),
        close("off", Window("DATES", "2026-12-26", "2026-12-26"), enabled=False),
        close("notice", Window("DATES", "2026-12-26", "2026-12-26"), effect="ANNOUNCE"),
        close("billing", Window("DATES", "2026-12-26", "2026-12-26"), scope="QUEUE#ivr-dev-billing"),
        close("main-flow", Window("DATES", "2026-12-26", "2026-12-26"), scope="FLOW#main"),
    ) == []
    assert [o.name for o in wanted(close("orders", Window("DATES", "2026-12-26", "2026-12-26"), scope="QUEUE#ivr-dev-orders"))] == [
        "ivr-message:orders"]


def listed(override: Override, override_id: str) -> dict:
    return {**override.fields(), "HoursOfOperationOverrideId": override_id, "HoursOfOperationId": "hours-1"}


def test_the_plan_creates_updates_and_deletes_only_the_apps_overrides():
    christmas, boxing = wanted(close("christmas", Window("YEARLY", "12-25", "12-25")),
                               close("boxing", Window("DATES", "2026-12-26", "2026-12-26")))
    moved = Override(boxing.name, boxing.message_id, date(2026, 12, 27), date(2026, 12, 27))
    existing = [
        listed(christmas, "id-christmas"),
        listed(moved, "id-boxing"),
        listed(Override(OWNED_PREFIX + "gone", "gone", date(2026, 12, 31), date(2026, 12, 31)), "id-gone"),
        {"Name": "Inventory day (console)", "HoursOfOperationOverrideId": "id-console", "Config": [],
         "EffectiveFrom": "2026-12-30", "EffectiveTill": "2026-12-30", "OverrideType": "CLOSED"},
    ]
    changes = plan([christmas, boxing], existing)
    assert changes.delete == ["id-gone"]
    assert changes.update == [("id-boxing", boxing)]
    assert changes.create == [] and changes.unchanged == 1 and changes.deferred == []


def test_replaying_the_plan_once_applied_changes_nothing():
    overrides = wanted(close("christmas", Window("YEARLY", "12-25", "12-25")),
                       close("storm", Window("INSTANTS", "2026-12-03T14:00:00", "2026-12-07T10:00:00", "America/New_York")))
    applied = [listed(o, f"id-{n}") for n, o in enumerate(overrides)]
    changes = plan(overrides, applied)
    assert (changes.create, changes.update, changes.delete, changes.unchanged) == ([], [], [], len(overrides))


def test_at_connects_limit_the_nearest_overrides_are_kept_and_the_others_deferred():
    messages = [close(f"day-{n:02}", Window("DATES", f"2027-{1 + n // 28:02}-{1 + n % 28:02}", f"2027-{1 + n // 28:02}-{1 + n % 28:02}"))
                for n in range(55)]
    console = [{"Name": f"console {n}", "HoursOfOperationOverrideId": f"c{n}"} for n in range(2)]
    changes = plan(wanted(*reversed(messages)), console)
    assert len(changes.create) == MAX_OVERRIDES - 2
    assert [o.name for o in changes.deferred] == [f"ivr-message:day-{n:02}" for n in range(48, 55)]
    assert max(o.first_day for o in changes.create) < min(o.first_day for o in changes.deferred)


@pytest.mark.parametrize("start, end", [("00:00", "00:00"), ("20:00", "02:00")])
def test_regular_hours_ending_at_or_after_midnight_run_to_midnight(start, end):
    def time_slice(text: str) -> dict:
        return {"Hours": int(text[:2]), "Minutes": int(text[3:])}

    hours = Hours.from_connect({"TimeZone": "UTC", "Config": [{"Day": "MONDAY", "StartTime": time_slice(start), "EndTime": time_slice(end)}]})
    assert hours.open["MONDAY"] == ((int(start[:2]) * 60, 24 * 60),)
