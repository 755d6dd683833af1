"""`ivr messages` end to end against moto's server (MSG-3, MSG-4): what an operator sees and what is stored."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest

from ivr.cli import main
from ivr.messages.local import SEED_FILE
from lambdas.messages_editing.store import Change, ConflictError, MessageStore
from tests.conftest import REPO_ROOT
from tests.messages.commands import CHRISTMAS, IDENTITY, ivr, stored


def test_add_list_show_and_history(capsys, dynamodb, table):
    assert ivr(capsys, *CHRISTMAS)[:2] == (0, "added christmas-day (version 1)\n")
    code, out, _ = ivr(capsys, "list")
    assert code == 0 and "christmas-day" in out and "HOLIDAY" in out and "every year 12-25" in out
    code, out, _ = ivr(capsys, "show", "christmas-day")
    assert "en-US: We are closed today for Christmas." in out and "version: 1" in out and f"updated_by: {IDENTITY}" in out
    message = stored(dynamodb, table)["christmas-day"]
    assert (message.kind, message.effect, message.scope, message.version) == ("HOLIDAY", "CLOSE", "CENTER", 1)
    code, out, _ = ivr(capsys, "history", "christmas-day")
    assert "alice@example.com" in out and "ADD" in out and "christmas-day v1" in out


def test_update_enable_disable_delete_keep_history_with_before_and_after(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    assert ivr(capsys, "update", "christmas-day", "--text", "es-US=Hoy estamos cerrados.", "--priority", "5", "--yes")[0] == 0
    assert ivr(capsys, "--by", "bob@example.com", "disable", "christmas-day")[1] == "disabled christmas-day\n"
    assert stored(dynamodb, table)["christmas-day"].enabled is False
    assert ivr(capsys, "enable", "christmas-day")[0] == 0
    assert ivr(capsys, "delete", "christmas-day")[0] == 0
    assert stored(dynamodb, table) == {}
    history = MessageStore(dynamodb, table).history("christmas-day")
    assert {e["by"] for e in history} == {IDENTITY}  # who: the AWS credentials; --by or IVR_OPERATOR is a note
    assert [(e["action"], e["version"], e["note"]) for e in history] == [
        ("ADD", 1, "alice@example.com"), ("UPDATE", 2, "alice@example.com"), ("DISABLE", 3, "bob@example.com"),
        ("ENABLE", 4, "alice@example.com"), ("DELETE", 5, "alice@example.com"),
    ]
    assert history[1]["before"]["priority"] == 0 and history[1]["after"]["priority"] == 5
    assert history[1]["after"]["text"]["es-US"] == "Hoy estamos cerrados."
    assert history[4]["after"] is None and history[4]["before"]["enabled"] is True
    out = ivr(capsys, "history")[1]
    assert 'priority: 0 -> 5' in out and 'enabled: true -> false' in out and "deleted" in out


def test_table_and_operator_options_may_come_after_the_action(capsys, dynamodb, table, monkeypatch):
    monkeypatch.delenv("IVR_MESSAGES_TABLE")
    assert ivr(capsys, "add", "christmas-day", *CHRISTMAS[2:], "--table", table, "--by", "carol@example.com")[0] == 0
    assert "christmas-day" in ivr(capsys, "list", "--table", table)[1]
    assert ivr(capsys, "--table", "no-such-table", "list", "--table", table)[0] == 0  # the later one wins
    assert MessageStore(dynamodb, table).history("christmas-day")[0]["note"] == "carol@example.com"


def test_a_stale_version_is_refused_and_nothing_is_written(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    assert ivr(capsys, "update", "christmas-day", "--priority", "3", "--expected-version", "1")[0] == 0  # someone else: now v2
    code, out, err = ivr(capsys, "update", "christmas-day", "--priority", "9", "--expected-version", "1")
    assert code == 3 and "version 2, not 1" in err and "someone else changed it" in err and err.count("\n") == 1
    assert ivr(capsys, "disable", "christmas-day", "--expected-version", "1")[0] == 3
    message = stored(dynamodb, table)["christmas-day"]
    assert (message.priority, message.enabled, message.version) == (3, True, 2)


def test_the_lost_update_race_is_caught_by_the_conditional_write(capsys, dynamodb, table):
    """Two operators read version 1; the second write must fail even without --expected-version."""
    ivr(capsys, *CHRISTMAS)
    store = MessageStore(dynamodb, table)
    read_by_alice = store.get("christmas-day")
    read_by_bob = store.get("christmas-day")
    assert read_by_alice is not None and read_by_bob is not None
    store.write([Change("UPDATE", read_by_alice, replace(read_by_alice, priority=1))], by="alice")
    with pytest.raises(ConflictError, match="changed by someone else since version 1"):
        store.write([Change("UPDATE", read_by_bob, replace(read_by_bob, priority=2))], by="bob")
    assert stored(dynamodb, table)["christmas-day"].priority == 1
    assert [(e["by"], e["note"]) for e in store.history("christmas-day")] == [(IDENTITY, "alice@example.com"), ("alice", "")]
    assert ivr(capsys, *CHRISTMAS)[0] == 3  # adding an existing id is refused too


@pytest.mark.parametrize("args, error", [
    (["--text", "en-US=<speak>We are closed"], "SSML is not well-formed XML"),
    (["--text", "en-US=<voice>We are closed</voice>"], "SSML must have <speak> as its root element"),
    (["--text", "en-US=   "], "text is empty"),
    (["--text", "klingon=Qapla"], "unknown language code 'klingon'"),
    (["--text", "en-US=" + "Please listen carefully. " * 130], "text too long for a prompt"),
    (["--text", "en-US=Closed.", "--start", "2026-12-25T17:00", "--end", "2026-12-25T09:00", "--time-zone", "America/New_York"],
     "ends (2026-12-25T09:00) before it starts (2026-12-25T17:00)"),
    (["--text", "en-US=Closed.", "--start", "2026-12-25", "--end", "2026-12-24"], "before it starts"),
    (["--text", "en-US=Closed.", "--start", "2026-12-25T09:00", "--end", "2026-12-25T17:00", "--time-zone", "America/Springfield"],
     "unknown time zone 'America/Springfield'"),
    (["--text", "en-US=Closed.", "--scope", "queue:"], "scope"),
    (["--text", "Closed."], "must be LANGUAGE=TEXT"),
    (["--text", "=Closed."], "--text '=Closed.' must be LANGUAGE=TEXT"),
])
def test_bad_input_is_one_clear_line_exit_2_and_nothing_written(capsys, dynamodb, table, args, error):
    base = ["add", "bad", "--scope", "center", "--kind", "holiday", "--effect", "close"]
    code, out, err = ivr(capsys, *base, *args)
    assert code == 2 and error in err and err.count("\n") == 1 and err.startswith("ivr messages: error:")
    assert stored(dynamodb, table) == {}
    assert MessageStore(dynamodb, table).history() == []


def test_bad_update_writes_nothing(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    code, _, err = ivr(capsys, "update", "christmas-day", "--text", "en-US=<speak>oops")
    assert code == 2 and "not well-formed" in err
    assert stored(dynamodb, table)["christmas-day"].version == 1
    assert ivr(capsys, "show", "nope")[0] == 2


def test_preview_says_what_a_caller_hears(capsys, table):
    assert ivr(capsys, "apply", str(SEED_FILE), "--yes")[0] == 0
    code, out, _ = ivr(capsys, "preview", "--at", "2026-12-25T09:00", "--queue", "ivr-dev-billing")
    assert code == 0
    assert "America/New_York" in out and "result: CLOSED" in out and "message_id: christmas-day" in out
    assert "message: <speak>Our contact center is closed today for Christmas and opens again on Monday at 8 AM." in out
    out = ivr(capsys, "preview", "--at", "2026-12-25T09:00", "--language", "es-US")[1]
    assert "<speak>Nuestro centro de atención está cerrado hoy por Navidad y abre de nuevo el lunes" in out
    out = ivr(capsys, "preview", "--at", "2026-12-06T01:00", "--queue", "ivr-dev-billing")[1]
    assert "result: ANNOUNCE" in out and "billing-system-maintenance" in out
    assert "result: OPEN" in ivr(capsys, "preview", "--at", "2026-12-06T01:00", "--queue", "Sales")[1]
    ivr(capsys, "enable", "severe-weather")
    out = ivr(capsys, "preview", "--at", "2026-12-25T09:00")[1]
    assert "kind: EMERGENCY" in out and "message_id: severe-weather" in out and "outranked: christmas-day" in out
    assert ivr(capsys, "preview", "--at", "Christmas")[0] == 2


def test_apply_shows_a_diff_and_dry_run_writes_nothing(capsys, dynamodb, table, tmp_path):
    code, out, _ = ivr(capsys, "apply", str(SEED_FILE), "--dry-run")
    assert code == 0 and "+ add christmas-day" in out and "dry run: nothing written" in out
    assert stored(dynamodb, table) == {}
    assert ivr(capsys, "apply", str(SEED_FILE), "--yes")[0] == 0
    seeded = stored(dynamodb, table)
    assert len(seeded) == 7 and seeded["severe-weather"].enabled is False
    edited = tmp_path / "messages.yaml"
    disabled = "enabled: false\n    text:\n      en-US: >-\n        Because"
    text = SEED_FILE.read_text().replace(disabled, disabled.replace("false", "true"))
    edited.write_text(text.replace("opens again {reopening}.\n", "opens again soon.\n", 1))
    code, out, _ = ivr(capsys, "apply", str(edited), "--dry-run")
    assert "~ update severe-weather: enabled: false -> true" in out
    assert "~ update christmas-day: text.en-US:" in out and "opens again soon" in out
    assert "2 change(s), 5 unchanged" in out and stored(dynamodb, table) == seeded
    assert ivr(capsys, "apply", str(edited))[0] == 0
    after = stored(dynamodb, table)
    assert after["severe-weather"].enabled and after["severe-weather"].version == 2 and after["new-years-day"].version == 1
    assert "0 change(s), 7 unchanged" in ivr(capsys, "apply", str(edited))[1]


def test_apply_with_a_bad_file_writes_nothing(capsys, dynamodb, table, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEED_FILE.read_text().replace("time_zone: America/New_York}", "time_zone: America/Nowhere}", 1))
    code, _, err = ivr(capsys, "apply", str(bad))
    assert code == 2 and "unknown time zone 'America/Nowhere'" in err and "christmas-eve-early-close" in err
    assert stored(dynamodb, table) == {}
    bad.write_text("messages: [")
    assert ivr(capsys, "apply", str(bad))[0] == 2


def test_prune_deletes_messages_missing_from_the_file(capsys, dynamodb, table, tmp_path):
    ivr(capsys, "apply", str(SEED_FILE), "--yes")
    only_christmas = tmp_path / "one.yaml"
    only_christmas.write_text(SEED_FILE.read_text().split("  - id: new-years-day")[0])
    assert "keep severe-weather (not in the file" in ivr(capsys, "apply", str(only_christmas))[1]
    assert ivr(capsys, "apply", str(only_christmas), "--prune")[0] == 0
    assert list(stored(dynamodb, table)) == ["christmas-day"]


def test_list_skips_an_item_edited_by_hand_with_a_warning(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "MESSAGE"}, "sk": {"S": "typed-in-console"}})
    code, out, err = ivr(capsys, "list")
    assert code == 0 and "christmas-day" in out and "typed-in-console" in err


def test_missing_table_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("IVR_MESSAGES_TABLE", raising=False)
    code, _, err = ivr(capsys, "list")
    assert code == 2 and "--table" in err


def test_every_action_has_help(capsys):
    for action in ("list", "show", "add", "update", "enable", "disable", "delete", "restore", "history", "preview", "apply"):
        with pytest.raises(SystemExit) as done:
            main(["messages", action, "--help"])
        assert done.value.code == 0 and "usage: ivr messages " + action in capsys.readouterr().out


def test_installed_command_in_a_subprocess(moto_endpoint, table):
    env = {**os.environ, "AWS_ENDPOINT_URL": moto_endpoint, "IVR_MESSAGES_TABLE": table, "IVR_OPERATOR": "carol"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "ivr", "messages", *args], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=60)

    added = run(*CHRISTMAS)
    assert added.returncode == 0, added.stderr
    bad = run("update", "christmas-day", "--start", "2026-12-26", "--end", "2026-12-20")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "before it starts" in bad.stderr
    shown = run("preview", "--at", "2027-12-25T12:00", "--time-zone", "Europe/London")
    assert shown.returncode == 0 and "result: CLOSED" in shown.stdout and "Europe/London" in shown.stdout
