"""`python -m fake_backend`: a startup line with the URL, the chosen fault, and a clean Ctrl-C."""
from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading

import urllib3

from tests.conftest import REPO_ROOT


def read_line(stream, timeout: float) -> str:
    """One line from `stream`, or "" when none comes within `timeout` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def test_standalone_server_serves_the_fault_and_stops_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_backend", "--port", "0", "--fault", "error_503_retry_after",
         "--retry-after-s", "4", "--api-key", "K"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as a background job of a shell without job control
    )
    try:
        startup = read_line(process.stdout, timeout=30)
        match = re.search(r"Fake customer backend on (http://127\.0\.0\.1:\d+) \(x-api-key: K, fault: error_503_retry_after\)", startup)
        assert match, startup
        response = urllib3.request("GET", match.group(1) + "/orders/12345678", headers={"x-api-key": "K"}, retries=False,
                                   timeout=10)
        assert (response.status, response.headers["Retry-After"]) == (503, "4")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=5)
    finally:
        process.kill()
        process.wait(timeout=10)
    assert process.returncode == 0
    assert "Stopping the fake backend." in out
    assert "GET /orders/12345678" in err  # one log line per request


def test_standalone_server_refuses_an_unknown_fault():
    result = subprocess.run([sys.executable, "-m", "fake_backend", "--fault", "gremlins"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert "unknown fault 'gremlins' (choose from " in result.stderr and "throttle_429" in result.stderr


def test_standalone_server_takes_the_shorthand_names_ivr_call_takes():
    process = subprocess.Popen([sys.executable, "-m", "fake_backend", "--port", "0", "--fault", "throttle", "--quiet"],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        startup = read_line(process.stdout, timeout=30)
        match = re.search(r"Fake customer backend on (http://127\.0\.0\.1:\d+) \(x-api-key: \S+, fault: throttle_429\)",
                          startup)
        assert match, startup
        response = urllib3.request("GET", match.group(1) + "/orders/12345678",
                                   headers={"x-api-key": "local-test-key"}, retries=False, timeout=10)
        assert response.status == 429
    finally:
        process.kill()
        process.wait(timeout=10)
