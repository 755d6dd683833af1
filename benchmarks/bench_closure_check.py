"""Closure check: cold import of the handler, and the warm time of an answer from the cache.

Cold: a fresh interpreter per run imports `lambdas.closure_check.handler` (what a Lambda cold start
pays before the first call), median of the runs, next to a bare interpreter's start-up and the
naive baseline handler (benchmarks/_measure.py); plus the first call in a fresh interpreter
(DynamoDB client creation + one Query on moto's server), and a full garbage collection right after it,
with the container's long-lived objects frozen (what the handler does after its first read) and without.
Warm: the real handler in-process against moto, cache filled, median and p99 over many calls
(includes event parsing, selection, logging and the EMF metrics flush).
"""
from __future__ import annotations

import os
import statistics
import sys
import time

from benchmarks._measure import (
    FULL_COLLECTIONS,
    arguments,
    cold_imports,
    count,
    interpreter_ms,
    lambda_env,
    moto_server,
    naive_handler,
    percentile,
    print_table,
    quiet,
    run_child,
)

TABLE = "messages-bench"
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
        "first call (client + one Query)": statistics.median(f[1] for f in first_calls),
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


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_closure_check", __doc__)
    parser.add_argument("--runs", type=count, default=7, help="fresh interpreters for the cold figures (default 7)")
    parser.add_argument("--calls", type=count, default=2000, help="warm calls for the median and p99 (default 2000)")
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
    print_table(["closure_check", "ms"], [*cold_figures.items(), *warm_figures.items()], digits=2,
                title=f"closure_check: cold = median of {args.runs} fresh interpreters, warm = {args.calls} calls (moto server)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
