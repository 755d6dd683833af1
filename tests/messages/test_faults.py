"""`ivr messages` tells the truth when DynamoDB stalls (issue 18): every call bounded, a visible
"waiting for DynamoDB...", and after a write whose answer is lost, what is really stored.

The endpoint is moto's server behind tests/messages/stalling_proxy.py: real sockets, no mocks.
"""
from __future__ import annotations

import pytest

from lambdas.messages_editing.store import MessageStore
from tests.messages.commands import CHRISTMAS, errors, ivr, stored
from tests.messages.stalling_proxy import HANG, LOSE_ANSWER, PASS, StallingProxy, target


@pytest.fixture
def proxy(moto_endpoint, table, monkeypatch):
    """`ivr messages` talks to moto through the proxy; the test's own client (`dynamodb`) directly."""
    stalling = StallingProxy(moto_endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", stalling.url)
    yield stalling
    stalling.close()


def test_a_hung_endpoint_is_bounded_and_says_it_is_waiting(capsys, proxy):
    proxy.pick = lambda request: HANG
    code, out, err = ivr(capsys, "list")
    assert code == 1 and out == ""
    assert "ivr messages: waiting for DynamoDB..." in err
    (line,) = errors(err)
    assert line.startswith("ivr messages: AWS error:") and "timeout" in line.lower()


def test_a_write_whose_answer_is_lost_is_read_back_and_reported_as_stored(capsys, dynamodb, table, proxy):
    """DynamoDB frozen between the write and its answer: the write landed, and the tool says so."""
    proxy.pick = lambda request: LOSE_ANSWER if target(request) == "TransactWriteItems" else PASS
    code, out, err = ivr(capsys, *CHRISTMAS)
    assert code == 0 and out == "added christmas-day (version 1)\n"
    assert "read back: the change is stored" in err and "refused" not in err and "nothing written" not in err
    assert proxy.picked and set(proxy.picked) == {"lose_answer TransactWriteItems"}
    assert stored(dynamodb, table)["christmas-day"].version == 1
    assert [e["action"] for e in MessageStore(dynamodb, table).history()] == ["ADD"]


def test_an_update_whose_answer_is_lost_is_not_reported_as_refused(capsys, dynamodb, table, proxy):
    assert ivr(capsys, *CHRISTMAS)[0] == 0
    proxy.pick = lambda request: LOSE_ANSWER if target(request) == "TransactWriteItems" else PASS
    code, out, err = ivr(capsys, "update", "christmas-day", "--priority", "5")
    assert code == 0 and out == "updated christmas-day (version 1 -> 2)\n" and "read back: the change is stored" in err
    message = stored(dynamodb, table)["christmas-day"]
    assert (message.priority, message.version) == (5, 2)


def test_a_write_that_never_reached_dynamodb_is_reported_as_not_written(capsys, dynamodb, table, proxy):
    assert ivr(capsys, *CHRISTMAS)[0] == 0
    proxy.pick = lambda request: HANG if target(request) == "TransactWriteItems" else PASS
    code, out, err = ivr(capsys, "update", "christmas-day", "--priority", "5")
    assert code == 1 and out == ""
    (line,) = errors(err)
    assert line.startswith("ivr messages: AWS error:") and line.endswith("read back: nothing written")
    message = stored(dynamodb, table)["christmas-day"]
    assert (message.priority, message.version) == (0, 1)


def test_when_reading_back_fails_too_the_tool_says_it_cannot_tell(capsys, dynamodb, table, proxy):
    assert ivr(capsys, *CHRISTMAS)[0] == 0
    reads = []

    def pick(request: bytes) -> str:
        if target(request) == "GetItem":
            reads.append(request)
            return PASS if len(reads) == 1 else HANG  # the update's own read passes, the read-back hangs
        return LOSE_ANSWER if target(request) == "TransactWriteItems" else PASS

    proxy.pick = pick
    code, _, err = ivr(capsys, "update", "christmas-day", "--priority", "5")
    assert code == 1
    (line,) = errors(err)
    assert "whether the change is stored is unknown" in line and "ivr messages history christmas-day" in line
