"""Identity from credentials (issue 18): history records who the AWS credentials are (STS), and
`--by` adds a note, never replaces it; without an answer from STS nothing is written."""
from __future__ import annotations

from lambdas.messages_editing.store import MessageStore
from tests.messages.commands import CHRISTMAS, IDENTITY, ivr, stored
from tests.messages.stalling_proxy import HANG, PASS, StallingProxy, target


def test_history_names_the_credentials_and_keeps_by_as_a_note(capsys, dynamodb, table, monkeypatch):
    monkeypatch.delenv("IVR_OPERATOR")
    assert ivr(capsys, *CHRISTMAS)[0] == 0
    assert ivr(capsys, "update", "christmas-day", "--priority", "2", "--by", "mallory@example.com")[0] == 0
    history = MessageStore(dynamodb, table).history("christmas-day")
    assert [(e["by"], e["note"]) for e in history] == [(IDENTITY, ""), (IDENTITY, "mallory@example.com")]
    assert stored(dynamodb, table)["christmas-day"].updated_by == IDENTITY
    out = ivr(capsys, "history", "christmas-day")[1]
    assert f"{IDENTITY} (mallory@example.com)" in out and "  mallory@example.com  " not in out


def test_without_an_answer_from_sts_nothing_is_written(capsys, dynamodb, table, moto_endpoint, monkeypatch):
    proxy = StallingProxy(moto_endpoint, pick=lambda request: HANG if target(request) == "GetCallerIdentity" else PASS)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    try:
        code, _, err = ivr(capsys, *CHRISTMAS)
    finally:
        proxy.close()
    assert code == 1 and "waiting for AWS STS..." in err and err.splitlines()[-1].startswith("ivr messages: AWS error:")
    assert proxy.picked and stored(dynamodb, table) == {} and MessageStore(dynamodb, table).history() == []
