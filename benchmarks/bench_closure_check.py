"""Closure check: cold import of the handler, and the warm time of an answer from the cache.

Cold: a fresh interpreter per run imports `lambdas.closure_check.handler` (what a Lambda cold start
pays before the first call), median of the runs, next to a bare interpreter's start-up; plus
the first call in that fresh interpreter (DynamoDB client creation + one Query on moto's server).
Warm: the real handler in-process against moto, cache filled, median over many calls (includes
event parsing, selection, logging and the EMF metrics flush).
Usage: `python -m benchmarks.bench_closure_check [runs]` (default 7).
"""
from __future__ import annotations

import contextlib
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE = "messages-bench"
ENV = {
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_SERVICE_NAME": "closure_check", "POWERTOOLS_METRICS_NAMESPACE": "ConnectIVR", "POWERTOOLS_LOG_LEVEL": "WARNING",
    "MESSAGES_TABLE_NAME": TABLE, "MESSAGES_CACHE_TTL_SECONDS": "30", "CENTER_TIME_ZONE": "America/New_York",
    "DEFAULT_LANGUAGE": "en-US", "DIP_BUDGET_MS": "1500",
}
EVENT = {"Name": "ContactFlowEvent", "Details": {"ContactData": {"ContactId": "bench", "Channel": "VOICE", "Attributes": {}},
                                                "Parameters": {"flow": "main", "queue": "Billing", "language": "en-US"}}}
_CHILD = (
    "import time, io, contextlib; t = time.perf_counter(); import lambdas.closure_check.handler as h; "
    "i = time.perf_counter(); out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out): h.lambda_handler({event!r}, None)\n"
    "print((i - t) * 1000, (time.perf_counter() - i) * 1000)"
)


def _child(code: str, env: dict) -> tuple[float, list[float]]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env={**os.environ, **env},
                         capture_output=True, text=True, check=True).stdout
    return (time.perf_counter() - started) * 1000, [float(v) for v in out.strip().splitlines()[-1].split()]


def cold(runs: int, endpoint: str) -> dict[str, float]:
    bare = [_child("print(0)", ENV)[0] for _ in range(runs)]
    timings = [_child(_CHILD.format(event=EVENT), {**ENV, "AWS_ENDPOINT_URL": endpoint})[1] for _ in range(runs)]
    return {
        "interpreter_ms": statistics.median(bare),
        "handler_import_ms": statistics.median(t[0] for t in timings),
        "first_call_ms": statistics.median(t[1] for t in timings),
    }


def warm(calls: int, endpoint: str) -> dict[str, float]:
    os.environ.update(ENV, AWS_ENDPOINT_URL=endpoint)
    from lambdas.closure_check import handler

    handler.reset_cache()
    durations = []
    with contextlib.redirect_stdout(io.StringIO()):
        handler.lambda_handler(EVENT, None)
        for _ in range(calls):
            started = time.perf_counter()
            handler.lambda_handler(EVENT, None)
            durations.append((time.perf_counter() - started) * 1000)
    return {"warm_cached_median_ms": statistics.median(durations), "warm_cached_p99_ms": sorted(durations)[int(calls * 0.99)]}


def main(runs: int = 7) -> None:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    from ivr.messages.local import SEED_FILE, create_messages_table, load_messages

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")
        create_messages_table(client, TABLE)
        load_messages(client, TABLE, SEED_FILE, by="bench")
        figures = {**cold(runs, endpoint), **warm(2000, endpoint)}
    finally:
        server.stop()
    for name, value in figures.items():
        print(f"{name:24} {value:8.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
