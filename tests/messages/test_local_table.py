"""Try it on a laptop (issue 18, MSG-8): `ivr messages local` serves the messages table with the seed
messages and prints the environment; `ivr messages` and `ivr call --aws-endpoint` then share that
table, so an operator adds a message and hears it, and a call never re-seeds what they edited.
The README's steps, run as a newcomer would: real processes, the printed environment, no fixtures."""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading

import pytest

from tests.conftest import REPO_ROOT

DEADLINE_SECONDS = 120  # a wide margin on a loaded machine: a hang fails the test instead of blocking the suite


@pytest.fixture
def local_table():
    """The printed environment of a running `ivr messages local --port 0`; stopped with Ctrl-C (SIGINT) after the test."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "IVR_"))}
    # Started with SIGINT ignored, as a shell without job control starts a background command (CI does):
    # Ctrl-C must stop it all the same.
    server = subprocess.Popen([sys.executable, "-m", "ivr", "messages", "local", "--port", "0"], cwd=REPO_ROOT, env=clean,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    watchdog = threading.Timer(DEADLINE_SECONDS * 3, server.kill)
    watchdog.start()
    try:
        printed = []
        for line in server.stdout:  # type: ignore[union-attr]
            printed.append(line)
            if line.startswith("Ctrl-C"):
                break
        exports = next(line for line in printed if line.strip().startswith("export "))
        environment = dict(item.split("=", 1) for item in shlex.split(exports)[1:])
        yield {**clean, **environment}, "".join(printed)
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=DEADLINE_SECONDS) == 0
        watchdog.cancel()


def run(environment, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ivr", *args], cwd=REPO_ROOT, env=environment,
                          capture_output=True, text=True, timeout=DEADLINE_SECONDS)


def test_an_operator_adds_a_message_and_hears_it_in_a_call(local_table):
    environment, printed = local_table
    assert "table ivr-local-messages with the seed messages" in printed and "ivr call main --aws-endpoint" in printed
    assert environment["IVR_MESSAGES_TABLE"] == "ivr-local-messages" and environment["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    listed = run(environment, "messages", "list")
    assert listed.returncode == 0 and "christmas-day" in listed.stdout and "severe-weather" in listed.stdout
    added = run(environment, "messages", "add", "storm", "--scope", "center", "--kind", "emergency", "--effect", "close",
                "--start", "now", "--end", "+2h", "--text", "en-US=We are closed by a storm.")
    assert added.returncode == 0, added.stderr
    call = ["call", "main", "--aws-endpoint", environment["AWS_ENDPOINT_URL"], "--keys", "-"]
    first = run(environment, *call)
    assert first.returncode == 0, first.stderr
    assert "IVR:    We are closed by a storm." in first.stdout
    edited = run(environment, "messages", "update", "storm", "--text", "en-US=We are closed by a storm until 8 PM.")
    assert edited.returncode == 0, edited.stderr
    second = run(environment, *call)
    assert "IVR:    We are closed by a storm until 8 PM." in second.stdout  # the edit, not the seed, after a call
    history = run(environment, "messages", "history").stdout
    assert history.count(" christmas-day v") == 1 and history.count(" storm v") == 2  # calls never re-seeded the table


def test_a_taken_port_is_one_line(local_table):
    environment, _ = local_table
    port = environment["AWS_ENDPOINT_URL"].rsplit(":", 1)[1]
    taken = run(environment, "messages", "local", "--port", port)
    assert taken.returncode == 2 and taken.stderr == f"ivr messages: error: port {port} is in use: give --port another (0 for any free port)\n"
