"""Undo (issue 18): `ivr messages restore ID [--version N]` brings back a deleted message or an
earlier version from history, as a change of its own. Against moto's server."""
from __future__ import annotations

from lambdas.messages_editing.store import MessageStore
from tests.messages.commands import CHRISTMAS, errors, ivr, stored


def test_a_deleted_message_comes_back_as_it_was(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    ivr(capsys, "update", "christmas-day", "--priority", "5")
    assert ivr(capsys, "delete", "christmas-day")[0] == 0
    code, out, _ = ivr(capsys, "restore", "christmas-day")
    assert code == 0 and out == "restored christmas-day as at version 2 (now version 4)\n"
    message = stored(dynamodb, table)["christmas-day"]
    assert (message.priority, message.version, message.texts["en-US"]) == (5, 4, "We are closed today for Christmas.")
    last = MessageStore(dynamodb, table).history("christmas-day")[-1]
    assert (last["action"], last["version"], last["before"]) == ("RESTORE", 4, None)
    assert "RESTORE" in ivr(capsys, "history", "christmas-day")[1]


def test_restore_undoes_the_last_change_or_goes_back_to_a_version(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    ivr(capsys, "update", "christmas-day", "--priority", "5")
    ivr(capsys, "update", "christmas-day", "--text", "en-US=Closed.")
    assert ivr(capsys, "restore", "christmas-day")[0] == 0  # undo the text change
    message = stored(dynamodb, table)["christmas-day"]
    assert (message.priority, message.texts["en-US"], message.version) == (5, "We are closed today for Christmas.", 4)
    assert ivr(capsys, "restore", "christmas-day", "--version", "1")[0] == 0
    assert stored(dynamodb, table)["christmas-day"].priority == 0
    code, out, _ = ivr(capsys, "restore", "christmas-day", "--version", "1")
    assert code == 0 and "nothing written" in out and stored(dynamodb, table)["christmas-day"].version == 5


def test_restore_refuses_what_history_does_not_have(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    code, _, err = ivr(capsys, "restore", "christmas-day", "--version", "9")
    assert code == 2 and len(errors(err)) == 1 and "has no version 9 to restore: its history has 1" in err
    assert ivr(capsys, "restore", "never-was")[0] == 2
    assert [e["version"] for e in MessageStore(dynamodb, table).history()] == [1]


def test_restoring_a_window_that_is_over_needs_yes(capsys, dynamodb, table):
    ivr(capsys, "add", "storm", "--scope", "center", "--kind", "emergency", "--effect", "close", "--text", "en-US=Storm.",
        "--start", "2025-01-10T08:00", "--end", "+2h", "--yes")
    ivr(capsys, "update", "storm", "--start", "now", "--end", "+2h")
    code, _, err = ivr(capsys, "restore", "storm")
    assert code == 2 and "is over already" in err and stored(dynamodb, table)["storm"].version == 2
    assert ivr(capsys, "restore", "storm", "--yes")[0] == 0
