"""What an operator types at 3 am (issue 18): times as they say them, and every error one line
with its exit code (2 bad input, 3 conflict, 1 AWS), against moto's server."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lambdas.messages_editing.store import MessageStore
from tests.messages.commands import CHRISTMAS, errors, ivr, stored

CENTER = ZoneInfo("America/New_York")  # cdk.json time_zone
CLOSE_NOW = ["add", "storm", "--scope", "center", "--kind", "emergency", "--effect", "close", "--text", "en-US=Closed by a storm."]


def one_error_line(err: str) -> bool:
    lines = errors(err)
    return len(lines) == 1 and lines[0].startswith("ivr messages: ")


def test_an_unquoted_date_that_does_not_exist_is_one_line_naming_it(capsys, dynamodb, table, tmp_path):
    file = tmp_path / "messages.yaml"
    file.write_text("messages:\n  - id: leap\n    scope: center\n    kind: HOLIDAY\n    effect: CLOSE\n"
                    "    window: {start: 2026-02-30}\n    text: {en-US: Closed.}\n")
    code, _, err = ivr(capsys, "apply", str(file))
    assert code == 2 and one_error_line(err)
    assert "line 6" in err and "'2026-02-30' is not a date" in err
    assert stored(dynamodb, table) == {}


@pytest.mark.parametrize("window, error", [
    (["--start", "2026-12-24T14:00"], "needs --end"),
    (["--end", "+2h"], "--end needs --start"),
    (["--start", "tomorrow", "--end", "+2h"], "--start 'tomorrow' is not a time"),
    (["--start", "now", "--end", "later"], "--end 'later' is not a time"),
    (["--start", "2026-12-24", "--end", "+2h"], "must be one too"),
])
def test_a_window_that_is_not_one_is_one_line_and_nothing_written(capsys, dynamodb, table, window, error):
    code, _, err = ivr(capsys, *CLOSE_NOW, *window)
    assert code == 2 and one_error_line(err) and error in err and "isoformat" not in err
    assert stored(dynamodb, table) == {}


def test_adding_an_id_that_exists_says_so_and_what_to_do(capsys, table):
    assert ivr(capsys, *CHRISTMAS)[0] == 0
    code, _, err = ivr(capsys, *CHRISTMAS)
    assert code == 3 and one_error_line(err)
    assert "christmas-day already exists" in err and "ivr messages update christmas-day" in err and "meanwhile" not in err


def test_an_aws_failure_is_one_line_exit_1(capsys, table):
    code, _, err = ivr(capsys, "list", "--table", "no-such-table")
    assert code == 1 and one_error_line(err) and "AWS error" in err


def local_window(message) -> tuple[datetime, datetime]:
    zone = ZoneInfo(message.window.time_zone)
    return (datetime.fromisoformat(message.window.start).replace(tzinfo=zone),
            datetime.fromisoformat(message.window.end).replace(tzinfo=zone))


@pytest.mark.parametrize("end, length", [("+2h", timedelta(hours=2)), ("+30m", timedelta(minutes=30)), ("+1d", timedelta(days=1))])
def test_start_now_and_an_end_relative_to_it(capsys, dynamodb, table, end, length):
    before = datetime.now(CENTER).replace(second=0, microsecond=0)
    assert ivr(capsys, *CLOSE_NOW, "--start", "now", "--end", end)[0] == 0
    after = datetime.now(CENTER)
    message = stored(dynamodb, table)["storm"]
    start, stop = local_window(message)
    assert message.window.type == "INSTANTS" and message.window.time_zone == "America/New_York"
    assert before <= start <= after and stop - start == length


def test_local_times_are_in_the_centers_time_zone_unless_told(capsys, dynamodb, table):
    assert ivr(capsys, *CLOSE_NOW, "--start", "2099-12-24T14:00", "--end", "2099-12-24T17:00")[0] == 0
    assert stored(dynamodb, table)["storm"].window.time_zone == "America/New_York"
    assert ivr(capsys, "update", "storm", "--start", "2099-12-24T14:00", "--end", "+3h", "--time-zone", "Europe/Paris")[0] == 0
    window = stored(dynamodb, table)["storm"].window
    assert (window.start, window.end, window.time_zone) == ("2099-12-24T14:00", "2099-12-24T17:00", "Europe/Paris")
    assert ivr(capsys, "update", "storm", "--end", "+1h")[0] == 0  # from the stored start
    assert stored(dynamodb, table)["storm"].window.end == "2099-12-24T15:00"


def test_preview_without_at_is_now_and_at_may_be_relative(capsys, table):
    assert ivr(capsys, *CLOSE_NOW, "--start", "now", "--end", "+2h")[0] == 0
    code, out, _ = ivr(capsys, "preview")
    assert code == 0 and "result: CLOSED" in out and "message_id: storm" in out
    assert "message_id: storm" in ivr(capsys, "preview", "--at", "+1h")[1]
    assert "result: OPEN" in ivr(capsys, "preview", "--at", "+3h")[1]
    code, _, err = ivr(capsys, "preview", "--at", "soon")
    assert code == 2 and one_error_line(err) and "give now, +2h" in err


def test_history_keeps_the_window_as_given(dynamodb, table, capsys):
    ivr(capsys, *CLOSE_NOW, "--start", "2099-01-02T08:00", "--end", "+90m")
    (entry,) = MessageStore(dynamodb, table).history("storm")
    assert entry["after"]["window"] == {"start": "2099-01-02T08:00", "end": "2099-01-02T09:30", "time_zone": "America/New_York"}
