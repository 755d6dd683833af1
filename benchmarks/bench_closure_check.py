"""Closure check: cold import of the handler, and the warm time of an answer from the cache.

Cold: a fresh interpreter per run imports `lambdas.closure_check.handler` (what a Lambda cold start
pays before the first call), median of the runs, next to a bare interpreter's start-up and the
naive baseline handler (benchmarks/_measure.py); plus the first call in a fresh interpreter
(botocore import, DynamoDB client creation + one Query on moto's server), and a full garbage collection right after it,
with the container's long-lived objects frozen (what the handler does after its first read) and without.
Warm: the real handler in-process against moto, cache filled, median and p99 over many calls
(includes event parsing, selection, logging and the EMF metrics flush).
Unreachable: the answer of a warm container (client built) whose table read fails, against a closed
port on 127.0.0.1 (refused) and a port that accepts and never answers, median and max of the calls.
Targets (issue 16): the import at or under a third of the naive handler's (about half before), the
answer with DynamoDB unreachable within 100 ms (76 ms quiet, ~380 ms loaded before).
"""
from __future__ import annotations

import os
import socket
import statistics
import sys
import time

from benchmarks._measure import (
    FULL_COLLECTIONS,
    Sink,
    arguments,
    cold_imports,
    count,
    interpreter_ms,
    lambda_env,
    moto_server,
    naive_handler,
    percentile,
    print_table,
    print_targets,
    quiet,
    run_child,
)

TABLE = "messages-bench"
UNREACHABLE_TARGET_MS = 100
ENV = lambda_env("closure_check", MESSAGES_TABLE_NAME=TABLE, MESSAGES_CACHE_TTL_SECONDS="30",
                 CENTER_TIME_ZONE="America/New_York", DEFAULT_LANGUAGE="en-US", DIP_BUDGET_MS="1500")
EVENT = {"Name": "ContactFlowEvent", "Details": {"ContactData": {"ContactId": "bench", "Channel": "VOICE", "Attributes": {}},
                                                "Parameters": {"flow": "main", "queue": "ivr-dev-billing", "language": "en-US"}}}
_CHILD = (
    "import time, io, contextlib; t = time.perf_counter(); import lambdas.closure_check.handler as h; "
    "i = time.perf_counter(); out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out): h.lambda_handler({event!r}, None)\n"
    "a = time.perf_counter()\n"
) + FULL_COLLECTIONS + "print((i - t) * 1000, (a - i) * 1000, frozen_ms, unfrozen_ms)"


def cold(runs: int, endpoint: str) -> dict[str, float]:
    naive, naive_env, _ = naive_handler()
    imports = cold_imports({"lambdas.closure_check.handler": ENV, naive: {**ENV, **naive_env}}, runs)
    first_calls = [run_child(_CHILD.format(event=EVENT), {**ENV, "AWS_ENDPOINT_URL": endpoint})[1] for _ in range(runs)]
    return {
        "bare interpreter (whole process)": interpreter_ms(runs),
        "import lambdas.closure_check.handler": statistics.median(imports["lambdas.closure_check.handler"]),
        "import naive handler (baseline)": statistics.median(imports[naive]),
        "first call (botocore import + client + one Query)": statistics.median(f[1] for f in first_calls),
        "full garbage collection after it, frozen": statistics.median(f[2] for f in first_calls),
        "the same collection, nothing frozen": statistics.median(f[3] for f in first_calls),
    }


def warm(calls: int, endpoint: str) -> dict[str, float]:
    os.environ.update(ENV, AWS_ENDPOINT_URL=endpoint)
    from lambdas.closure_check import handler, messages_table

    messages_table.reset_cache()
    durations = []
    with quiet():
        handler.lambda_handler(EVENT, None)  # fills the cache
        for _ in range(calls):
            started = time.perf_counter()
            handler.lambda_handler(EVENT, None)
            durations.append((time.perf_counter() - started) * 1000)
    return {"warm cached answer, median": statistics.median(durations), "warm cached answer, p99": percentile(durations, 99)}


def unreachable(calls: int) -> dict[str, list[float]]:
    """ms of each answer when the read fails: a closed port, then a port that never answers."""
    from lambdas.closure_check import handler, messages_table
    from lambdas.common.observability import logger

    logger.registered_handler.stream = Sink()  # each failed read logs an error
    answers: dict[str, list[float]] = {}
    with socket.socket() as closed, socket.socket() as mute:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        mute.bind(("127.0.0.1", 0))
        mute.listen(calls + 1)  # the kernel completes the connections; nobody reads them
        for name, sock in (("closed port", closed), ("port that never answers", mute)):
            os.environ.update(ENV, AWS_ENDPOINT_URL=f"http://127.0.0.1:{sock.getsockname()[1]}")
            os.environ.pop("MESSAGES_READ_TIMEOUT_MS", None)
            messages_table.reset_cache()
            messages_table._cache.client = messages_table.dynamodb_client()  # a warm container's client
            durations = answers[name] = []
            with quiet():
                for _ in range(calls):
                    messages_table._cache.next_read_at = 0.0  # each call reads (in AWS: one every 5 s)
                    started = time.perf_counter()
                    handler.lambda_handler(EVENT, None)
                    durations.append((time.perf_counter() - started) * 1000)
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_closure_check", __doc__)
    parser.add_argument("--runs", type=count, default=7, help="fresh interpreters for the cold figures (default 7)")
    parser.add_argument("--calls", type=count, default=2000, help="warm calls for the median and p99 (default 2000)")
    parser.add_argument("--unreachable-calls", type=count, default=20, help="calls per unreachable endpoint (default 20)")
    args = parser.parse_args(argv)

    import boto3

    from ivr.messages.local import SEED_FILE, create_messages_table, load_messages

    with moto_server() as endpoint:
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="bench", aws_secret_access_key="bench")
        create_messages_table(client, TABLE)
        load_messages(client, TABLE, SEED_FILE, by="bench")
        cold_figures = cold(args.runs, endpoint)
        warm_figures = warm(args.calls, endpoint)
    failing = unreachable(args.unreachable_calls)
    failing_figures = {}
    for where, values in failing.items():
        failing_figures[f"answer, table unreachable ({where}), median"] = statistics.median(values)
        failing_figures[f"answer, table unreachable ({where}), max"] = max(values)
    print_table(["closure_check", "ms"], [*cold_figures.items(), *warm_figures.items(), *failing_figures.items()], digits=2,
                title=f"closure_check: cold = median of {args.runs} fresh interpreters, warm = {args.calls} calls (moto server), "
                      f"unreachable = {args.unreachable_calls} calls each")
    share = cold_figures["import lambdas.closure_check.handler"] / cold_figures["import naive handler (baseline)"]
    worst = max(statistics.median(values) for values in failing.values())
    print_targets("targets", [
        ("import / naive handler's import", share, "<= 0.33", "~0.5", share <= 1 / 3),
        ("answer, table unreachable (worse median)", worst, f"<= {UNREACHABLE_TARGET_MS}", "76 quiet, ~380 loaded", worst <= UNREACHABLE_TARGET_MS),
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
