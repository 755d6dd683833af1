"""Data dips: deadline kept under every backend fault, warm overhead, cold start (DD-5, DD-7).

    python -m benchmarks.bench_dips                                      # ~1 minute (8 per fault and dip)
    python -m benchmarks.bench_dips --invocations 1000 --budget-ms 200   # the full run: ~45 minutes, as
                                          # latency, hang and trickle cost a whole budget per invocation

1. Deadline: for each fault of the fake backend and each dip, N invocations of the real handler;
   the slowest answer must come within the budget + 50 ms. This process plays one warm Lambda
   container: the handlers, nothing else. The fake backend (restarted with each fault) and moto's
   Secrets Manager run in processes of their own, so no server thread competes for the GIL and no
   server object lengthens a garbage collection. The API key is read once before the first row (a
   warm container's). The circuit breaker is set out of reach so that every invocation really waits
   on the backend (with it, a dead backend is answered in microseconds). "gc ms" is the time the
   garbage collector ran during the slowest answer.
2. Warm overhead: order_status against a healthy backend vs. a plain urllib3 GET of the same URL,
   alternated; median and p99 of both and of the difference.
3. Cold start, each in a fresh interpreter (median of runs): importing each handler; a cold
   handler's import + first answer, reading the API key through the Parameters and Secrets
   extension (a stand-in process serving it on loopback, as the layer does in AWS) and, alternated
   with it, through botocore (lazily imported) from moto, as without the layer; then the first
   answer beyond import against its target (60 ms; 130 ms before issue 16); and a
   "naive" handler importing Powertools Tracer + Logger + Metrics + parser (pydantic), boto3 with
   a Secrets Manager client, and requests; and a full garbage collection in a container after its
   first answer, with the long-lived objects frozen (what the dips do) and without.
A missed deadline is printed as `NO` in the table and in the last line; the exit status stays 0
(benchmarks report, tests assert: tests/dips hold the deadline test).
"""
from __future__ import annotations

import gc
import os
import statistics
import sys
import textwrap
import time

from benchmarks._measure import (
    EXTENSION_SESSION_TOKEN,
    FULL_COLLECTIONS,
    LambdaContext,
    Sink,
    arguments,
    cold_imports,
    count,
    fake_backend_process,
    fake_extension_process,
    free_port,
    lambda_env,
    moto_server,
    naive_handler,
    percentile,
    print_table,
    print_targets,
    run_child,
    table_row,
)

DIPS = {
    "order_status": {"order_id": "12345678"},
    "customer_lookup": {},
    "interaction_log": {"event": "ORDER_STATUS", "order_id": "12345678", "outcome": "FOUND"},
}
SLACK_MS = 50
API_KEY = "bench-key"
BASE_ENV = lambda_env("order_status", POWERTOOLS_LOG_LEVEL="INFO")  # INFO: log formatting is part of the cost


def say(text: str = "") -> None:
    """Tables go to the real stdout; the handlers' EMF documents (print) go to a sink."""
    sys.__stdout__.write(text + "\n")
    sys.__stdout__.flush()


def _event(parameters: dict) -> dict:
    return {"Name": "ContactFlowEvent", "Details": {"Parameters": parameters, "ContactData": {
        "ContactId": "bench-contact", "Channel": "VOICE", "CustomerEndpoint": {"Address": "+14155550123", "Type": "TELEPHONE_NUMBER"}}}}


DEADLINE_COLUMNS = (("fault", 24), ("dip", 15), ("answers", 32), ("median ms", 9), ("max ms", 8), ("gc ms", 5), ("pass", 4))


class GcClock:
    """Milliseconds the garbage collector has run in this process so far."""

    def __init__(self) -> None:
        self.total_ms = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total_ms += (time.perf_counter() - self._started) * 1000


def deadline_table(backend_port: int, handlers, invocations: int, budget_ms: int) -> bool:
    """Rows are printed as they come: with the full run, a row of a hanging backend takes minutes."""
    from fake_backend.server import FAULTS

    say(f"\n1. Deadline under faults: {invocations} invocations per fault and dip, budget {budget_ms} ms, "
        f"pass = max <= budget + {SLACK_MS} ms")
    names, widths = zip(*DEADLINE_COLUMNS, strict=True)
    say("   " + "  ".join(f"{n:>{w}}" if n.endswith("ms") else f"{n:<{w}}" for n, w in DEADLINE_COLUMNS))
    gc_clock = GcClock()
    gc.callbacks.append(gc_clock)
    ok = True
    try:
        for fault in ("none", *FAULTS):
            with fake_backend_process(backend_port, None if fault == "none" else fault, API_KEY):
                for dip, handler in handlers.items():
                    answers: dict[str, int] = {}
                    times = []  # (ms to answer, ms of it spent collecting garbage)
                    for index in range(invocations):
                        event = _event({**DIPS[dip]})
                        if dip == "interaction_log":  # a new contact each time, so LOGGED is not DUPLICATE
                            event["Details"]["ContactData"]["ContactId"] = f"bench-{fault}-{index}"
                        gc_before, started = gc_clock.total_ms, time.perf_counter()
                        answer = handler(event, LambdaContext())
                        times.append(((time.perf_counter() - started) * 1000, gc_clock.total_ms - gc_before))
                        label = answer["result"] + (f"/{answer['error_kind']}" if answer.get("error_kind") else "")
                        answers[label] = answers.get(label, 0) + 1
                    slowest, slowest_gc = max(times)
                    passed = slowest <= budget_ms + SLACK_MS
                    ok &= passed
                    shown = ", ".join(f"{k} x{v}" for k, v in sorted(answers.items()))
                    median = statistics.median(t for t, _ in times)
                    say("   " + table_row((fault, dip, shown, median, slowest, slowest_gc, "yes" if passed else "NO"), widths))
    finally:
        gc.callbacks.remove(gc_clock)
    return ok


def warm_overhead(backend_url: str, handler, samples: int) -> None:
    import urllib3

    pool = urllib3.PoolManager(retries=False)
    url = f"{backend_url}/orders/12345678"
    raw, dip = [], []
    handler(_event(DIPS["order_status"]), LambdaContext())  # warm: connection open
    for _ in range(samples):
        started = time.perf_counter()
        _ = pool.request("GET", url, headers={"x-api-key": API_KEY}).data  # the whole body, as the dip reads it
        raw.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        handler(_event(DIPS["order_status"]), LambdaContext())
        dip.append((time.perf_counter() - started) * 1000)
    overhead = [d - r for d, r in zip(dip, raw, strict=True)]  # each handler call minus the plain GET just before it
    print_table(["", "median", "p99"], [
        (label, statistics.median(values), percentile(values, 99))
        for label, values in (("plain GET (backend)", raw), ("order_status handler", dip), ("overhead (pairwise)", overhead))
    ], digits=2, indent="   ", file=sys.__stdout__,
        title=f"\n2. Warm overhead, order_status vs a plain urllib3 GET of the same order, {samples} samples each (ms)")


FIRST_ANSWER_TARGET_MS = 60
FIRST_ANSWER_BEFORE_MS = 130  # issue 16: botocore import + Secrets Manager read


def cold_start(runs: int, dip_env: dict) -> None:
    naive, naive_env, naive_note = naive_handler()
    imports = {f"lambdas.{dip}.handler": {**BASE_ENV, "POWERTOOLS_SERVICE_NAME": dip} for dip in DIPS}
    imports.update({module: BASE_ENV for module in (
        "urllib3", "from aws_lambda_powertools import Logger, Metrics", "boto3", "botocore.session")})
    imports[naive] = {**BASE_ENV, **naive_env}
    medians = {module: statistics.median(values) for module, values in cold_imports(imports, runs).items()}
    first_answer = textwrap.dedent("""
        import time; t = time.perf_counter()
        from lambdas.order_status.handler import lambda_handler
        i = time.perf_counter()
        lambda_handler({"Details": {"Parameters": {"order_id": "12345678"}, "ContactData": {"ContactId": "c"}}}, None)
        a = time.perf_counter()
    """) + FULL_COLLECTIONS + "print((i - t) * 1000, (a - t) * 1000, frozen_ms, unfrozen_ms, frozen)"
    extension_port = free_port()
    with_extension = {**BASE_ENV, **dip_env, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT": str(extension_port),
                      "AWS_SESSION_TOKEN": EXTENSION_SESSION_TOKEN}
    firsts: list[list[float]] = []  # through botocore
    via_extension: list[list[float]] = []
    with fake_extension_process(extension_port, API_KEY):
        for _ in range(runs):  # alternated, so that machine load touches both alike
            via_extension.append(run_child(first_answer, with_extension)[1])
            firsts.append(run_child(first_answer, {**BASE_ENV, **dip_env})[1])
    beyond_import = statistics.median(f[1] - f[0] for f in via_extension)
    rows = [(f"import {dip}", medians[f"lambdas.{dip}.handler"], "") for dip in DIPS]
    rows += [
        ("  of which urllib3", medians["urllib3"], ""),
        ("  of which Powertools Logger + Metrics", medians["from aws_lambda_powertools import Logger, Metrics"], ""),
        ("for comparison: import boto3", medians["boto3"], ""),
        ("for comparison: import botocore.session", medians["botocore.session"], ""),
        ("import naive handler", medians[naive], naive_note),
        ("order_status import + first answer, key from the extension", statistics.median(f[1] for f in via_extension),
         f"first answer alone {beyond_import:.1f}: key read on loopback + GET"),
        ("order_status import + first answer, key through botocore", statistics.median(f[1] for f in firsts),
         f"first answer alone {statistics.median(f[1] - f[0] for f in firsts):.1f}: botocore import + key read + GET"),
        ("full garbage collection after it, long-lived objects frozen", statistics.median(f[2] for f in firsts),
         f"{statistics.median(f[4] for f in firsts):.0f} objects frozen after the first key read"),
        ("the same collection, nothing frozen", statistics.median(f[3] for f in firsts), ""),
    ]
    print_table(["", "ms", ""], rows, digits=2, indent="   ", file=sys.__stdout__,
                title=f"\n3. Cold start in a fresh interpreter, median of {runs} runs (ms)")
    print_targets("\n4. Targets (ms)", [
        ("first answer beyond import (extension)", beyond_import, f"<= {FIRST_ANSWER_TARGET_MS}", f"{FIRST_ANSWER_BEFORE_MS}",
         beyond_import <= FIRST_ANSWER_TARGET_MS),
    ], file=sys.__stdout__)


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_dips", __doc__)
    parser.add_argument("--invocations", type=count, default=8, help="invocations per fault mode and dip (default 8)")
    parser.add_argument("--budget-ms", type=count, default=600, help="DIP_BUDGET_MS of the run (default 600)")
    parser.add_argument("--warm-samples", type=count, default=300, help="samples of the warm overhead (default 300)")
    parser.add_argument("--cold-runs", type=count, default=5, help="fresh interpreters per cold-start figure (default 5)")
    args = parser.parse_args(argv)

    os.environ.update(BASE_ENV)
    os.environ.pop("AWS_PROFILE", None)
    backend_port = free_port()
    with moto_server() as endpoint:
        arn = _store_api_key(endpoint)
        dip_env = {
            "AWS_ENDPOINT_URL": endpoint, "BACKEND_BASE_URL": f"http://127.0.0.1:{backend_port}",
            "BACKEND_API_KEY_SECRET_ARN": arn, "DIP_BUDGET_MS": str(args.budget_ms), "CIRCUIT_FAILURE_THRESHOLD": "1000000",
        }
        os.environ.update(dip_env)
        from lambdas.common.deadline import Deadline
        from lambdas.common.http import backend_client
        from lambdas.common.observability import logger
        from lambdas.customer_lookup.handler import lambda_handler as customer_lookup
        from lambdas.interaction_log.handler import lambda_handler as interaction_log
        from lambdas.order_status.handler import lambda_handler as order_status

        logger.registered_handler.stream = Sink()
        handlers = {"order_status": order_status, "customer_lookup": customer_lookup, "interaction_log": interaction_log}
        backend_client().api_key.get(Deadline(10))  # the container is warm: its key is read
        sys.stdout = Sink()  # EMF documents
        try:
            started = time.perf_counter()
            say(f"bench_dips: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
            ok = deadline_table(backend_port, handlers, args.invocations, args.budget_ms)
            with fake_backend_process(backend_port, None, API_KEY) as backend_url:
                warm_overhead(backend_url, order_status, args.warm_samples)
        finally:
            sys.stdout = sys.__stdout__
        with fake_backend_process(backend_port, None, API_KEY):
            cold_start(args.cold_runs, {**dip_env, "POWERTOOLS_LOG_LEVEL": "ERROR"})
    say(f"\nDeadline kept in every mode: {'yes' if ok else 'NO'} ({time.perf_counter() - started:.0f} s)")
    return 0


def _store_api_key(endpoint: str) -> str:
    """The API key in moto's Secrets Manager, written with botocore (what the handlers load anyway;
    boto3 would add its objects to this process, which plays a Lambda container); its ARN."""
    import botocore.session

    client = botocore.session.get_session().create_client("secretsmanager", endpoint_url=endpoint)
    arn = client.create_secret(Name="bench/backend-api-key", SecretString=API_KEY)["ARN"]
    client.close()
    return arn


if __name__ == "__main__":
    sys.exit(main())
