"""Guard rails (issue 18): an edit an operator may not mean is explained and written only with --yes
(a "y" at a terminal); an edit that changes nothing writes nothing; an update over someone else's
change shows what it replaces; two operators at once never lose an update. Against moto's server."""
from __future__ import annotations

import io
import threading
from dataclasses import replace

import pytest

from ivr.messages.local import SEED_FILE
from lambdas.messages_editing.store import Change, MessageStore
from tests.messages.commands import CHRISTMAS, errors, ivr, stored

ADD = ["add", "notice", "--kind", "holiday", "--effect", "close", "--text", "en-US=Closed."]


@pytest.mark.parametrize("args, reason", [
    (["--scope", "center", "--start", "2025-01-10T08:00", "--end", "+2h"], "is over already, so it will never play"),
    (["--scope", "center", "--start", "2025-12-24", "--end", "2025-12-26"], "is over already"),
    (["--scope", "center"], "a HOLIDAY that closes with no window closes the center now and until someone disables it"),
    (["--scope", "queue:Sales", "--start", "12-25"], "this app has no queue 'Sales' (it has ivr-dev-billing, ivr-dev-general, ivr-dev-orders)"),
    (["--scope", "flow:mian", "--start", "12-25"], "this app has no flow 'mian'"),
    (["--scope", "center", "--start", "12-25", "--text", "fr-FR=Fermé."], "language fr-FR is not one of cdk.json languages (en-US)"),
])
def test_a_risky_edit_is_refused_without_yes_and_written_with_it(capsys, dynamodb, table, args, reason):
    code, out, err = ivr(capsys, *ADD, *args)
    assert code == 2 and err.count("\n") == 1 and reason in err and "add --yes to write it anyway" in err
    assert stored(dynamodb, table) == {} and MessageStore(dynamodb, table).history() == []
    code, out, err = ivr(capsys, *ADD, *args, "--yes")
    assert code == 0 and out == "added notice (version 1)\n" and err.startswith("ivr messages: warning: notice: ") and reason in err


def test_apply_explains_the_same_concerns_and_its_dry_run_lists_them(capsys, dynamodb, table):
    code, out, _ = ivr(capsys, "apply", str(SEED_FILE), "--dry-run")
    assert code == 0 and "warning: thanksgiving-2026: its window (all day 2026-11-26 to 2026-11-27 (center time)) is over" in out
    code, _, err = ivr(capsys, "apply", str(SEED_FILE))
    assert code == 2 and "thanksgiving-2026" in err and "add --yes" in err and stored(dynamodb, table) == {}


def test_a_safe_edit_needs_no_yes(capsys, table):
    assert ivr(capsys, *ADD, "--scope", "queue:ivr-dev-billing", "--start", "now", "--end", "+2h")[0] == 0
    assert ivr(capsys, "add", "storm", "--scope", "flow:main", "--kind", "emergency", "--effect", "close",
               "--text", "en-US=Closed by a storm.")[0] == 0  # an emergency closes until disabled: what it is for


def test_an_edit_is_warned_about_only_for_what_it_changes(capsys, dynamodb, table):
    assert ivr(capsys, *ADD, "--scope", "center", "--start", "2025-12-24", "--end", "2025-12-26", "--yes")[0] == 0
    assert ivr(capsys, "update", "notice", "--priority", "2")[0] == 0  # still over, but that is not this edit
    code, _, err = ivr(capsys, "update", "notice", "--always")
    assert code == 2 and "closes with no window" in err
    assert ivr(capsys, "disable", "notice")[0] == 0
    assert ivr(capsys, "enable", "notice")[0] == 2  # playing again a window that is over


def test_at_a_terminal_the_operator_is_asked(capsys, dynamodb, table, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert ivr(capsys, *ADD, "--scope", "center")[0] == 2 and stored(dynamodb, table) == {}
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, err = ivr(capsys, *ADD, "--scope", "center")
    assert code == 0 and "write it anyway? [y/N]" in out and "closes with no window" in err
    assert stored(dynamodb, table)["notice"].version == 1


def test_an_edit_that_changes_nothing_writes_nothing(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    code, out, _ = ivr(capsys, "update", "christmas-day", "--priority", "0", "--kind", "holiday")
    assert code == 0 and out == "christmas-day is already so (version 1): nothing written\n"
    assert ivr(capsys, "disable", "christmas-day")[0] == 0
    assert "already disabled" in ivr(capsys, "disable", "christmas-day")[1]
    assert [e["version"] for e in MessageStore(dynamodb, table).history()] == [1, 2]


def test_an_update_over_someone_elses_change_shows_what_it_replaces(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    ivr(capsys, "show", "christmas-day")  # the operator looks: version 1
    assert ivr(capsys, "update", "christmas-day", "--text", "en-US=Closed for Christmas, back on the 26th.")[0] == 0  # someone else
    code, out, err = ivr(capsys, "update", "christmas-day", "--priority", "4", "--expected-version", "1")
    assert code == 3 and len(errors(err)) == 1 and "at version 2, not 1: someone else changed it" in err
    assert "christmas-day changed since version 1:" in out and 'back on the 26th.' in out and "v2 UPDATE by " in out
    assert stored(dynamodb, table)["christmas-day"].version == 2
    code, out, _ = ivr(capsys, "update", "christmas-day", "--priority", "4", "--expected-version", "1", "--yes")
    assert code == 0 and "updated christmas-day (version 2 -> 3)" in out
    message = stored(dynamodb, table)["christmas-day"]
    assert message.priority == 4 and "back on the 26th" in message.texts["en-US"]  # written over the current version


@pytest.fixture
def atomic_moto_transactions(monkeypatch):
    """moto 5 carries out a transaction by snapshotting the table and restoring the snapshot when a condition
    fails, so a failing transaction running alongside a successful one erases it; DynamoDB does not. The
    server runs in this process (tests/conftest.py): one transaction at a time makes moto as atomic as DynamoDB."""
    from moto.dynamodb.models import DynamoDBBackend

    lock, original = threading.Lock(), DynamoDBBackend.transact_write_items

    def one_at_a_time(self, *args, **kwargs):
        with lock:
            return original(self, *args, **kwargs)
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", one_at_a_time)


def update(capsys, codes: dict[str, int], name: str, edit: list[str]) -> None:
    codes[name] = ivr(capsys, "update", "christmas-day", *edit)[0]


def test_two_operators_at_once_never_lose_an_update(capsys, dynamodb, table, atomic_moto_transactions):
    """50 rounds of two concurrent updates of one message: each either lands (and stays) or is refused (exit 3)."""
    ivr(capsys, *CHRISTMAS)
    for round_number in range(1, 51):
        codes: dict[str, int] = {}
        edits = {"priority": ["--priority", str(round_number)], "text": ["--text", f"en-US=Closed, round {round_number}."]}
        threads = [threading.Thread(target=update, args=(capsys, codes, name, edit)) for name, edit in edits.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert set(codes.values()) <= {0, 3} and 0 in codes.values(), codes
        message = stored(dynamodb, table)["christmas-day"]
        if codes["priority"] == 0:
            assert message.priority == round_number, (round_number, codes)
        if codes["text"] == 0:
            assert message.texts["en-US"] == f"Closed, round {round_number}.", (round_number, codes)
    history = MessageStore(dynamodb, table).history("christmas-day")
    assert [e["version"] for e in history] == list(range(1, len(history) + 1))


def test_a_recent_change_by_another_identity_is_shown_before_it_is_replaced(capsys, dynamodb, table):
    ivr(capsys, *CHRISTMAS)
    store = MessageStore(dynamodb, table)
    current = store.get("christmas-day")
    assert current is not None
    store.write([Change("UPDATE", current, replace(current, priority=7))], by="arn:aws:sts::123456789012:assumed-role/Supervisor/bob")
    code, out, err = ivr(capsys, "update", "christmas-day", "--text", "en-US=Closed today.")
    assert code == 3 and "was changed by arn:aws:sts::123456789012:assumed-role/Supervisor/bob in the last 15 minutes" in err
    assert "v2 UPDATE by arn:aws:sts::123456789012:assumed-role/Supervisor/bob" in out and "priority: 0 -> 7" in out
    assert stored(dynamodb, table)["christmas-day"].version == 2
    assert ivr(capsys, "update", "christmas-day", "--text", "en-US=Closed today.", "--expected-version", "2")[0] == 0  # seen
    assert ivr(capsys, "update", "christmas-day", "--priority", "1")[0] == 0  # the last change is the operator's own
