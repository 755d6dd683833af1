"""What the benchmarks share: fresh-interpreter timings, percentiles, tables, a Lambda-like setting.

- `cold_import_ms(module, runs)`: median time to import a module in a fresh interpreter, i.e. what
  a Lambda cold start pays before its first call (`cold_imports` for several, interleaved).
- `interpreter_ms(runs)`: median wall time of a bare interpreter, the floor under any cold start.
- `naive_handler()`: the baseline those cold imports are compared with, a handler written without
  care for cold start (Powertools Tracer + Logger + Metrics + parser, a boto3 client, requests).
- `arguments(name, doc)`, `count`: a benchmark's command line (--help is its docstring; numbers >= 1).
- `FULL_COLLECTIONS`: child code timing a full garbage collection, frozen and not, after a first answer.
- `run_child(code)`: run code in a fresh interpreter from the repository root, read its numbers.
- `percentile(values, p)`, `print_table(...)` / `table_row(...)`.
- `lambda_env(service, **extra)`, `LambdaContext`, `quiet()`/`Sink`: a handler run locally as Lambda
  would run it (fake credentials, Powertools settings, EMF output dropped).
- `moto_server()`, `fake_backend_process(...)`, `fake_extension_process(...)`: what a handler calls,
  each in its own process.
- `print_targets(title, rows)`: figures next to their target and the figure before (issue 16).
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import io
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_TIMED = "import time; t = time.perf_counter(); {statement}; print((time.perf_counter() - t) * 1000)"
# Child code for right after a handler's first answer: `frozen_ms`, a full garbage collection as the
# handler leaves its container (long-lived objects frozen), then `unfrozen_ms`, the same with
# nothing frozen; `frozen`, how many objects were frozen (counting walks them: after the timing).
FULL_COLLECTIONS = (
    "import gc, time\n"
    "g = time.perf_counter(); gc.collect(); frozen_ms = (time.perf_counter() - g) * 1000\n"
    "frozen = gc.get_freeze_count(); gc.unfreeze()\n"
    "g = time.perf_counter(); gc.collect(); unfrozen_ms = (time.perf_counter() - g) * 1000\n"
)


def arguments(name: str, doc: str | None) -> argparse.ArgumentParser:
    """The parser of `python -m benchmarks.<name>`; its --help shows the module's docstring."""
    return argparse.ArgumentParser(prog=f"python -m benchmarks.{name}", description=doc,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def count(text: str) -> int:
    """argparse type of the benchmarks' numbers (runs, calls, milliseconds): a whole number, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def run_child(code: str, env: Mapping[str, str] | None = None, cwd: Path = REPO_ROOT) -> tuple[float, list[float]]:
    """Run `code` in a fresh interpreter: (wall ms of the whole process, the numbers on its last line).

    The child writes no bytecode, so every run starts alike: installed libraries load from the .pyc
    pip wrote, our code is compiled from source unless a __pycache__ already holds it (a Lambda
    asset ships no .pyc and /var/task is read-only, so there it is compiled at each cold start)."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
                         capture_output=True, text=True)
    wall_ms = (time.perf_counter() - started) * 1000
    if out.returncode:
        raise RuntimeError(f"child interpreter failed:\n{out.stderr[-2000:]}")
    lines = out.stdout.strip().splitlines()
    return wall_ms, [float(v) for v in lines[-1].split()] if lines else []


def _statement(module: str) -> str:
    """A module name is imported; anything with a space is taken as the import statement itself."""
    return module if " " in module else f"import {module}"


def cold_imports(modules: Mapping[str, Mapping[str, str]], runs: int, cwd: Path = REPO_ROOT) -> dict[str, list[float]]:
    """ms to import each module (key: name or statement; value: extra environment) in a fresh
    interpreter, `runs` times each, interleaved so that disk cache and machine load touch all alike."""
    samples: dict[str, list[float]] = {module: [] for module in modules}
    for _ in range(runs):
        for module, env in modules.items():
            samples[module].append(run_child(_TIMED.format(statement=_statement(module)), env, cwd)[1][0])
    return samples


def cold_import_ms(module: str, runs: int, env: Mapping[str, str] | None = None, cwd: Path = REPO_ROOT) -> float:
    """Median ms to import `module` (or run an import statement) in a fresh interpreter."""
    return statistics.median(cold_imports({module: env or {}}, runs, cwd)[module])


_NAIVE_HANDLER = '''
import json, os
import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import BaseModel, event_parser
{requests_import}
tracer, logger, metrics = Tracer(), Logger(), Metrics()
secrets = boto3.client("secretsmanager")

class Event(BaseModel):
    Details: dict

@tracer.capture_lambda_handler
@event_parser(model=Event)
def lambda_handler(event, context):
    return {{"result": "ERROR"}}
'''


@cache
def naive_handler() -> tuple[str, dict[str, str], str]:
    """(module, environment to import it with, what it imports): the naive baseline handler, written
    once to a temporary folder. Import it with `lambda_env(...)` around it (boto3 needs a region)."""
    try:
        import requests  # noqa: F401

        requests_import, note = "import requests", "Tracer + Logger + Metrics + parser + boto3 client + requests"
    except ImportError:
        requests_import, note = "", "Tracer + Logger + Metrics + parser + boto3 client (requests is not installed)"
    folder = Path(tempfile.mkdtemp(prefix="naive-handler-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "naive_handler.py").write_text(_NAIVE_HANDLER.format(requests_import=requests_import))
    return "naive_handler", {"PYTHONPATH": str(folder)}, note


def interpreter_ms(runs: int) -> float:
    """Median wall ms of a fresh interpreter that does nothing (start-up and exit)."""
    return statistics.median(run_child("pass")[0] for _ in range(runs))


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank: the smallest value with p% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def table_row(values: Sequence[object], widths: Sequence[int], digits: int = 1) -> str:
    """Numbers right-aligned with `digits` decimals, anything else left-aligned."""
    cells = []
    for value, width in zip(values, widths, strict=True):
        if isinstance(value, float):
            cells.append(f"{value:>{width}.{digits}f}")
        elif isinstance(value, int) and not isinstance(value, bool):
            cells.append(f"{value:>{width}}")
        else:
            cells.append(f"{value!s:<{width}}")
    return "  ".join(cells).rstrip()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str | None = None,
                digits: int = 1, indent: str = "  ", file=None) -> None:
    """A title line, then the rows in columns as wide as their widest cell (or header)."""
    out = file or sys.stdout
    shown = [[f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in shown)) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(headers))]
    if title:
        print(title, file=out)
    print(indent + "  ".join(f"{h:>{w}}" if n else f"{h:<{w}}" for h, w, n in zip(headers, widths, numeric, strict=True)).rstrip(), file=out)
    for row in rows:
        print(indent + table_row(row, widths, digits), file=out)
    out.flush()


def lambda_env(service: str, **extra: str) -> dict[str, str]:
    """The environment of a handler run locally: fake AWS credentials, Powertools settings, then `extra`."""
    return {
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench", "POWERTOOLS_SERVICE_NAME": service,
        "POWERTOOLS_METRICS_NAMESPACE": "ConnectIVR", "POWERTOOLS_LOG_LEVEL": "WARNING", **extra,
    }


class LambdaContext:
    """What the handlers and Powertools read from Lambda's context: the time left, the function's names."""

    function_name = "bench-function"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:111122223333:function:bench-function"
    aws_request_id = "bench-request"

    def __init__(self, remaining_ms: int = 30_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class Sink(io.TextIOBase):
    """A stream that takes text and keeps nothing."""

    def write(self, text: str) -> int:  # formatted (the cost stays measured), then dropped
        return len(text)


def quiet() -> contextlib.AbstractContextManager:
    """Drop what handlers print (EMF metric documents) while the benchmark's own figures wait."""
    return contextlib.redirect_stdout(Sink())


def free_port() -> int:
    """A TCP port nothing listens on right now (for a server started in another process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server_process(argv: Sequence[str], port: int, name: str) -> Iterator[str]:
    """Run a server in its own interpreter, so that the process being measured holds the handler and
    little else, as a Lambda container does (no server threads taking the GIL, no server objects for
    the garbage collector to walk). Yields http://127.0.0.1:<port> once the server accepts connections."""
    process = subprocess.Popen([sys.executable, *argv], cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start on port {port}:\n{process.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def moto_server() -> contextlib.AbstractContextManager[str]:
    """moto in server mode on a loopback port, in its own process (a real HTTP endpoint, as AWS is); yields its URL."""
    port = free_port()
    return server_process(["-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port, "moto server")


def fake_backend_process(port: int, fault: str | None, api_key: str) -> contextlib.AbstractContextManager[str]:
    """`python -m fake_backend` with `fault` on every request (None: healthy); yields its URL."""
    faulty = ["--fault", fault] if fault else []
    return server_process(["-m", "fake_backend", "--port", str(port), "--api-key", api_key, "--quiet", *faulty],
                          port, "fake backend")


# The Parameters and Secrets extension's local endpoint as a function with its layer sees it: GET
# /secretsmanager/get?secretId=... with the session token header, answered from memory (the real
# one may call Secrets Manager first: this measures the function's side only).
_FAKE_EXTENSION = """
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, value, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path.startswith("/secretsmanager/get?") and self.headers.get("X-Aws-Parameters-Secrets-Token") == token
        body = json.dumps({"SecretString": value}).encode() if ok else b"{}"
        self.send_response(200 if ok else 400)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""
EXTENSION_SESSION_TOKEN = "bench-session-token"


def fake_extension_process(port: int, value: str) -> contextlib.AbstractContextManager[str]:
    """A stand-in for the extension on `port`, serving `value` to requests with EXTENSION_SESSION_TOKEN."""
    return server_process(["-c", _FAKE_EXTENSION, str(port), value, EXTENSION_SESSION_TOKEN], port, "fake extension")


def print_targets(title: str, rows: Sequence[tuple[str, float, str, str, bool]], file=None) -> None:
    """Rows of (figure, measured, target, before: the figure in issue 16, target met)."""
    print_table(["figure", "measured", "target", "before (issue 16)", "met"],
                [(name, value, target, before, "yes" if met else "NO") for name, value, target, before, met in rows],
                title=title, digits=2, indent="   ", file=file)
