"""Data dips: deadline kept under every backend fault, warm overhead, cold start (DD-5, DD-7).

    python -m benchmarks.bench_dips                      # ~1-2 minutes
    python -m benchmarks.bench_dips --invocations 1000   # the full run (long: hang/trickle cost a budget each)

1. Deadline: for each fault of the fake backend and each dip, N invocations of the real handler
   (fake backend on loopback, API key from moto's Secrets Manager); the slowest answer must come
   within the budget + 50 ms. The circuit breaker is set out of reach so that every invocation
   really waits on the backend (with it, a dead backend is answered in microseconds).
2. Warm overhead: order_status against a healthy backend vs. a plain urllib3 GET of the same URL,
   alternated; median and p99 of both and of the difference.
3. Cold start, each in a fresh interpreter (median of runs): importing each handler; a cold
   handler's import + first answer (reads the API key with botocore, lazily imported); and a
   "naive" handler importing Powertools Tracer + Logger + Metrics + parser (pydantic), boto3 with
   a Secrets Manager client, and requests.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DIPS = {
    "order_status": {"order_id": "12345678"},
    "customer_lookup": {},
    "interaction_log": {"event": "ORDER_STATUS", "order_id": "12345678", "outcome": "FOUND"},
}
SLACK_MS = 50
BASE_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_METRICS_NAMESPACE": "ConnectIVR", "POWERTOOLS_SERVICE_NAME": "order_status", "POWERTOOLS_LOG_LEVEL": "INFO",
}

NAIVE_HANDLER = '''
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


def say(text: str = "") -> None:
    """Tables go to the real stdout; the handlers' EMF documents (print) go to a sink."""
    sys.__stdout__.write(text + "\n")
    sys.__stdout__.flush()


class _Sink(io.TextIOBase):
    def write(self, text: str) -> int:  # logs and EMF are formatted, then dropped
        return len(text)


class _Context:
    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def _event(parameters: dict) -> dict:
    return {"Name": "ContactFlowEvent", "Details": {"Parameters": parameters, "ContactData": {
        "ContactId": "bench-contact", "Channel": "VOICE", "CustomerEndpoint": {"Address": "+14155550123", "Type": "TELEPHONE_NUMBER"}}}}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def deadline_table(backend, handlers, invocations: int, budget_ms: int, reset_client) -> bool:
    from fake_backend.server import FAULTS

    say(f"\n1. Deadline under faults: {invocations} invocations per fault and dip, budget {budget_ms} ms, pass = max <= budget + {SLACK_MS} ms")
    say(f"   {'fault':26} {'dip':16} {'answers':34} {'median ms':>9} {'max ms':>8}  pass")
    ok = True
    for fault in ("none", *FAULTS):
        for dip, handler in handlers.items():
            backend.reset()
            backend.set_fault(None if fault == "none" else fault)
            reset_client()
            answers: dict[str, int] = {}
            times = []
            for index in range(invocations):
                event = _event({**DIPS[dip]})
                if dip == "interaction_log":  # a new contact each time, so LOGGED is not DUPLICATE
                    event["Details"]["ContactData"]["ContactId"] = f"bench-{fault}-{index}"
                started = time.perf_counter()
                answer = handler(event, _Context())
                times.append((time.perf_counter() - started) * 1000)
                label = answer["result"] + (f"/{answer['error_kind']}" if answer.get("error_kind") else "")
                answers[label] = answers.get(label, 0) + 1
            passed = max(times) <= budget_ms + SLACK_MS
            ok &= passed
            shown = ", ".join(f"{k} x{v}" for k, v in sorted(answers.items()))
            say(f"   {fault:26} {dip:16} {shown:34} {statistics.median(times):9.1f} {max(times):8.1f}  {'yes' if passed else 'NO'}")
    backend.reset()
    return ok


def warm_overhead(backend, handler, samples: int, api_key: str) -> None:
    import urllib3

    pool = urllib3.PoolManager(retries=False)
    url = f"{backend.url}/orders/12345678"
    raw, dip = [], []
    handler(_event(DIPS["order_status"]), _Context())  # warm: API key read, connection open
    for _ in range(samples):
        started = time.perf_counter()
        pool.request("GET", url, headers={"x-api-key": api_key}).data
        raw.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        handler(_event(DIPS["order_status"]), _Context())
        dip.append((time.perf_counter() - started) * 1000)
    say(f"\n2. Warm overhead, order_status vs a plain urllib3 GET of the same order, {samples} samples each (ms)")
    say(f"   {'':24} {'median':>8} {'p99':>8}")
    say(f"   {'plain GET (backend)':24} {statistics.median(raw):8.2f} {_percentile(raw, 0.99):8.2f}")
    say(f"   {'order_status handler':24} {statistics.median(dip):8.2f} {_percentile(dip, 0.99):8.2f}")
    overhead = [d - r for d, r in zip(dip, raw)]  # each handler call minus the plain GET just before it
    say(f"   {'overhead (pairwise)':24} {statistics.median(overhead):8.2f} {_percentile(overhead, 0.99):8.2f}")


def _child(code: str, env: dict, cwd: Path = REPO_ROOT) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return [float(v) for v in out.stdout.strip().splitlines()[-1].split()]


def cold_start(runs: int, dip_env: dict) -> None:
    timed = "import time; t = time.perf_counter(); {0}; print((time.perf_counter() - t) * 1000)"
    rows = [(f"import {dip}", timed.format(f"import lambdas.{dip}.handler"), {"POWERTOOLS_SERVICE_NAME": dip}) for dip in DIPS]
    rows += [
        ("  of which urllib3", timed.format("import urllib3"), {}),
        ("  of which Powertools Logger + Metrics", timed.format("from aws_lambda_powertools import Logger, Metrics"), {}),
        ("for comparison: import boto3", timed.format("import boto3"), {}),
        ("for comparison: import botocore.session", timed.format("import botocore.session"), {}),
    ]
    first_answer = textwrap.dedent("""
        import time; t = time.perf_counter()
        from lambdas.order_status.handler import lambda_handler
        i = time.perf_counter()
        lambda_handler({"Details": {"Parameters": {"order_id": "12345678"}, "ContactData": {"ContactId": "c"}}}, None)
        print((i - t) * 1000, (time.perf_counter() - t) * 1000)
    """)
    try:
        import requests  # noqa: F401

        requests_import, naive_note = "import requests", "Tracer + Logger + Metrics + parser + boto3 client + requests"
    except ImportError:
        requests_import, naive_note = "", "Tracer + Logger + Metrics + parser + boto3 client (requests is not installed)"
    folder = Path(tempfile.mkdtemp(prefix="naive-handler-"))
    (folder / "naive_handler.py").write_text(NAIVE_HANDLER.format(requests_import=requests_import))
    say(f"\n3. Cold start in a fresh interpreter, median of {runs} runs (ms)")
    values: dict[str, list[float]] = {label: [] for label, _, _ in rows}
    for _ in range(runs):  # interleaved, so disk cache and machine load touch every row alike
        for label, code, env in rows:
            values[label].append(_child(code, {**BASE_ENV, **env})[0])
    for label, _, _ in rows:
        say(f"   {label:44} {statistics.median(values[label]):8.1f}")
    naive = [_child(timed.format("import naive_handler"), {**BASE_ENV, "PYTHONPATH": str(folder)}, cwd=folder)[0] for _ in range(runs)]
    say(f"   {'import naive handler':44} {statistics.median(naive):8.1f}   ({naive_note})")
    firsts = [_child(first_answer, {**BASE_ENV, **dip_env}) for _ in range(runs)]
    say(f"   {'order_status import + first answer':44} {statistics.median(f[1] for f in firsts):8.1f}   "
          f"(first answer alone {statistics.median(f[1] - f[0] for f in firsts):.1f}: botocore import + key read + GET)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_dips", description=__doc__.split("\n\n")[0])
    parser.add_argument("--invocations", type=int, default=8, help="invocations per fault mode and dip (default 8)")
    parser.add_argument("--budget-ms", type=int, default=600, help="DIP_BUDGET_MS of the run (default 600)")
    parser.add_argument("--warm-samples", type=int, default=300, help="samples of the warm overhead (default 300)")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh interpreters per cold-start figure (default 5)")
    args = parser.parse_args(argv)

    os.environ.update(BASE_ENV)
    os.environ.pop("AWS_PROFILE", None)
    import boto3
    from moto.server import ThreadedMotoServer

    import logging

    from fake_backend import server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    # The fake answers head and body in two writes; with Nagle on, the body can wait ~40 ms for the
    # client's delayed ACK, which would drown the figures in loopback noise (not the dips' doing).
    server._Handler.disable_nagle_algorithm = True

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    backend = server.FakeBackend(api_key="bench-key").start()
    try:
        endpoint = f"http://{host}:{port}"
        arn = boto3.client("secretsmanager", endpoint_url=endpoint).create_secret(Name="bench/backend-api-key", SecretString="bench-key")["ARN"]
        dip_env = {
            "AWS_ENDPOINT_URL": endpoint, "BACKEND_BASE_URL": backend.url, "BACKEND_API_KEY_SECRET_ARN": arn,
            "DIP_BUDGET_MS": str(args.budget_ms), "CIRCUIT_FAILURE_THRESHOLD": "1000000",
        }
        os.environ.update(dip_env)
        from lambdas.common.http import reset_backend_client
        from lambdas.common.observability import logger
        from lambdas.customer_lookup.handler import lambda_handler as customer_lookup
        from lambdas.interaction_log.handler import lambda_handler as interaction_log
        from lambdas.order_status.handler import lambda_handler as order_status

        logger.registered_handler.stream = _Sink()
        handlers = {"order_status": order_status, "customer_lookup": customer_lookup, "interaction_log": interaction_log}
        sys.stdout = _Sink()  # EMF documents
        try:
            started = time.perf_counter()
            say(f"bench_dips: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
            ok = deadline_table(backend, handlers, args.invocations, args.budget_ms, reset_backend_client)
            reset_backend_client()
            warm_overhead(backend, order_status, args.warm_samples, "bench-key")
        finally:
            sys.stdout = sys.__stdout__
        cold_start(args.cold_runs, {**dip_env, "POWERTOOLS_LOG_LEVEL": "ERROR"})
        say(f"\nDeadline kept in every mode: {'yes' if ok else 'NO'} ({time.perf_counter() - started:.0f} s)")
        return 0 if ok else 1
    finally:
        backend.stop()
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
