"""What plays, at a glance (issue 18): `list` with a header, aligned columns and each message's state
now, `preview` at the queue stage exactly as the closure check answers, times in the center's zone."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from ivr.messages.local import SEED_FILE
from lambdas.closure_check import handler
from lambdas.closure_check.model import Window
from tests.lambda_events import connect_event
from tests.messages.commands import ivr

CLOSE = ["--kind", "emergency", "--effect", "close", "--text", "en-US=Closed by a storm."]


def rows(out: str) -> dict[str, str]:
    """The list's lines by message id (the header and the 'now' line dropped)."""
    return {line.split()[0]: line for line in out.splitlines()[2:]}


def test_list_has_a_header_aligned_columns_and_each_state_now(capsys, table):
    ivr(capsys, "add", "storm", "--scope", "center", *CLOSE, "--start", "now", "--end", "+2h")
    ivr(capsys, "add", "old-storm", "--scope", "center", *CLOSE, "--start", "2025-01-10T08:00", "--end", "+2h", "--yes")
    ivr(capsys, "add", "next-storm", "--scope", "center", *CLOSE, "--start", "2099-01-10T08:00", "--end", "+2h")
    ivr(capsys, "add", "quiet-storm", "--scope", "center", *CLOSE, "--disabled", "--yes")
    ivr(capsys, "add", "notice", "--scope", "center", "--kind", "announcement", "--effect", "announce",
        "--text", "en-US=Masks are welcome.", "--yes")
    code, out, _ = ivr(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert re.fullmatch(r"now \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T \(America/New_York\)", lines[0])
    header = lines[1]
    assert header.split() == ["ID", "SCOPE", "KIND", "EFFECT", "PRIORITY", "VERSION", "STATE", "NOW", "WINDOW"]
    for line in lines[2:]:  # every row's state sits under the STATE heading
        assert line[header.index("STATE"):].split()[0] in {"live", "scheduled", "expired", "disabled"}
    by_id = rows(out)
    state = {message_id: line[header.index("STATE"):].split()[0] for message_id, line in by_id.items()}
    assert state == {"storm": "live", "old-storm": "expired", "next-storm": "scheduled", "quiet-storm": "disabled", "notice": "live"}
    assert by_id["storm"][header.index("NOW"):].startswith("plays")
    assert by_id["notice"][header.index("NOW"):].startswith("outranked by storm")
    assert "enabled" not in out


def test_list_gives_a_window_of_another_zone_in_center_time_too(capsys, table):
    ivr(capsys, "add", "paris", "--scope", "center", *CLOSE, "--start", "2099-12-24T14:00", "--end", "+3h", "--time-zone", "Europe/Paris")
    line = rows(ivr(capsys, "list")[1])["paris"]
    assert line.endswith("2099-12-24T14:00 to 2099-12-24T17:00 Europe/Paris (center time 2099-12-24 08:00 to 2099-12-24 11:00 EST)")


def test_a_yearly_message_is_scheduled_never_expired(capsys, table):
    ivr(capsys, "apply", str(SEED_FILE), "--yes")
    out = ivr(capsys, "list")[1]
    header = out.splitlines()[1]
    states = {message_id: line[header.index("STATE"):].split()[0] for message_id, line in rows(out).items()}
    assert states["severe-weather"] == "disabled" and states["thanksgiving-2026"] in {"expired", "scheduled", "live"}
    assert states["christmas-day"] in {"scheduled", "live"} and states["new-years-day"] in {"scheduled", "live"}


@pytest.fixture
def closure_check(table, monkeypatch):
    """The closure-check Lambda itself on the same table, at a chosen instant: (at, parameters) -> its answer."""
    from lambdas.closure_check import environment

    monkeypatch.setenv(environment.TABLE_ENV, table)
    monkeypatch.setenv(environment.TIME_ZONE_ENV, "America/New_York")
    monkeypatch.setenv(environment.DEFAULT_LANGUAGE_ENV, "en-US")
    monkeypatch.setenv(environment.READ_TIMEOUT_ENV, "5000")  # moto on a loaded machine

    def ask(at: datetime, parameters: dict[str, str]) -> dict[str, str]:
        monkeypatch.setattr(handler, "utc_now", lambda: at)
        return handler.lambda_handler(connect_event(parameters), None)
    return ask


@pytest.mark.parametrize("scope, parameters", [
    ("queue:ivr-dev-billing", {"queue": "ivr-dev-billing", "scope": "queue"}),
    ("queue:ivr-dev-orders", {"queue": "ivr-dev-orders", "scope": "queue"}),
    ("flow:main", {"flow": "main"}),
    ("center", {}),
])
def test_preview_at_a_stage_gives_the_closure_checks_answer(capsys, closure_check, scope, parameters):
    ivr(capsys, "apply", str(SEED_FILE), "--yes")
    ivr(capsys, "enable", "phishing-warning")
    # 23:00 in New York: the billing maintenance runs, so does the main flow's announcement; no holiday.
    code, out, _ = ivr(capsys, "preview", "--at", "2026-12-05T23:00", "--scope", scope)
    assert code == 0
    fields = [line.strip().partition(":") for line in out.splitlines()[1:] if not line.strip().startswith("outranked")]
    shown = {key: value.strip() for key, _, value in fields}
    assert shown == closure_check(datetime(2026, 12, 6, 4, 0, tzinfo=UTC), parameters)
    assert ("once the call has its queue (scope: queue)" in out) == scope.startswith("queue:")


def test_history_times_are_local_without_microseconds(capsys, table):
    ivr(capsys, "add", "storm", "--scope", "center", *CLOSE, "--start", "now", "--end", "+2h")
    line = ivr(capsys, "history")[1].splitlines()[0]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d E[SD]T  ", line) and "Z" not in line.split("  ")[0]


def test_window_is_over_only_after_its_end():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert Window("INSTANTS", "2026-12-01T06:00", "2026-12-01T07:00", "America/New_York").is_over(now, "UTC")
    assert not Window("INSTANTS", "2026-12-01T06:00", "2026-12-01T08:00", "America/New_York").is_over(now, "UTC")
    assert Window("DATES", "2026-11-26", "2026-11-30").is_over(now, "America/New_York")
    assert not Window("DATES", "2026-11-26", "2026-12-01").is_over(now, "America/New_York")
    assert not Window("YEARLY", "12-25", "12-25").is_over(now, "UTC") and not Window().is_over(now, "UTC")
