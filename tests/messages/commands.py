"""Running `ivr messages` in-process, and reading what it stored: shared by the messages tests."""
from __future__ import annotations

from ivr.cli import main
from lambdas.messages_editing.store import MessageStore

IDENTITY = "arn:aws:sts::123456789012:user/moto"  # what moto's STS says the test credentials are
CHRISTMAS = ["add", "christmas-day", "--scope", "center", "--kind", "holiday", "--effect", "close",
             "--start", "12-25", "--text", "en-US=We are closed today for Christmas."]


def ivr(capsys, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `ivr messages ARGS`."""
    code = main(["messages", *args])
    out, err = capsys.readouterr()
    return code, out, err


def errors(err: str) -> list[str]:
    """stderr's lines without the notices a slow answer prints ("waiting for DynamoDB..."): what went wrong."""
    return [line for line in err.splitlines() if not line.endswith("...")]


def stored(dynamodb, table) -> dict:
    return {m.id: m for m in MessageStore(dynamodb, table).messages()}
