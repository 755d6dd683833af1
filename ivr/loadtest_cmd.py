"""`ivr loadtest`: before go-live, check that the customer backend answers inside the dips' budget.

    ivr loadtest --url https://api.example.com --api-key-env BACKEND_API_KEY \\
        --endpoint orders --rate 20 --duration 60s --budget-ms 3000

Sends a steady rate of dip-like requests (locust, headless, in a child process: see
loadtest/runner.py), then reports throughput, p50/p95/p99 latency and the error rate, and says
whether the p99 fits inside the budget. Exit status: 0 when the p99 fits and the error rate is
at most --max-error-rate, 1 otherwise (or when the backend cannot be reached or refuses the
key), 2 on a usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

from ivr.cli import UsageError
from phone_numbers import is_e164

REPO_ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = ("orders", "customers")
DIP_OF_ENDPOINT = {"orders": "order_status", "customers": "customer_lookup"}
DEFAULT_MAX_ERROR_RATE = 1.0  # percent
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)?$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}
_ORDER_ID = re.compile(r"^[0-9]{8}$")


def _duration(text: str) -> float:
    match = _DURATION.match(text.strip())
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)] if match else 0.0
    if not 0 < seconds <= 24 * 3600:
        raise argparse.ArgumentTypeError(f"expected a duration such as 60s, 5m or 90 (seconds), got {text!r}")
    return seconds


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "loadtest", help="load-test the customer backend against the dips' time budget",
        description="Send a steady rate of dip-like requests to YOUR backend and check that its p99 "
        "latency fits inside the dip's time budget (DD-5). Exit 0 when it fits and the error rate is "
        "at most --max-error-rate, 1 otherwise, 2 on a usage error.",
    )
    parser.add_argument("--url", required=True, help="the backend's base URL, e.g. https://api.example.com")
    key = parser.add_mutually_exclusive_group(required=True)
    key.add_argument("--api-key-env", metavar="VAR", help="environment variable holding the API key (x-api-key)")
    key.add_argument("--api-key-secret", metavar="NAME", help="Secrets Manager secret (name or ARN) holding the API key")
    parser.add_argument("--endpoint", choices=ENDPOINTS, default="orders",
                        help="orders: GET /orders/{orderId}; customers: GET /customers?phone= (default orders)")
    parser.add_argument("--rate", type=_positive, default=20.0, help="requests per second to send (default 20)")
    parser.add_argument("--duration", type=_duration, default=60.0, help="how long to send, e.g. 60s or 5m (default 60s)")
    parser.add_argument("--budget-ms", type=int,
                        help="the time budget to fit in (default: the dip's dips.<name>.budget_ms from cdk.json, "
                        "order_status for orders, customer_lookup for customers)")
    parser.add_argument("--max-error-rate", type=float, default=DEFAULT_MAX_ERROR_RATE, metavar="PERCENT",
                        help="highest acceptable error rate in percent (default 1)")
    parser.add_argument("--order-id", action="append", default=[], dest="order_ids", metavar="ID",
                        help="an 8-digit order id to query (repeatable; default: the fake backend's samples)")
    parser.add_argument("--phone", action="append", default=[], dest="phones", metavar="E164",
                        help="a phone number to query (repeatable; default: the fake backend's samples)")
    parser.set_defaults(handler=run)


def configured_budget(endpoint: str) -> tuple[int, str]:
    """(budget in ms, where it comes from) of the dip that calls `endpoint`, as synth configures it."""
    from configuration.model import DEFAULT_DIPS

    dip = DIP_OF_ENDPOINT[endpoint]
    try:
        configured = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]["dips"][dip]["budget_ms"]
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_DIPS[dip]["budget_ms"], f"the default of dips.{dip}.budget_ms"
    return int(configured), f"cdk.json dips.{dip}.budget_ms"


def _base_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--url must be an http:// or https:// URL with a host name, got {raw!r}")
    return raw.strip().rstrip("/")


def _api_key(args: argparse.Namespace) -> str:
    if args.api_key_env:
        value = os.environ.get(args.api_key_env, "").strip()
        if not value:
            raise UsageError(f"environment variable {args.api_key_env} is not set or empty (it should hold the API key)")
        return value
    import boto3  # only for --api-key-secret
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        value = boto3.client("secretsmanager").get_secret_value(SecretId=args.api_key_secret).get("SecretString")
    except (BotoCoreError, ClientError) as error:
        raise UsageError(f"cannot read the API key from secret {args.api_key_secret!r}: {error}") from None
    if not value or not value.strip():
        raise UsageError(f"secret {args.api_key_secret!r} has no string value")
    return value.strip()


def _samples(args: argparse.Namespace) -> list[str]:
    if args.endpoint == "orders":
        bad = [value for value in args.order_ids if not _ORDER_ID.match(value)]
        if bad:
            raise UsageError(f"--order-id must be 8 digits, got {bad[0]!r}")
        return args.order_ids
    bad = [value for value in args.phones if not is_e164(value)]
    if bad:
        raise UsageError(f"--phone must be an E.164 number such as +14155550123, got {bad[0]!r}")
    return args.phones


def _preflight(url: str, path: str, api_key: str, timeout_s: float) -> str | None:
    """One request before the load: why the run cannot work (unreachable, key refused), or None."""
    request = urllib.request.Request(url + path, headers={"x-api-key": api_key, "Accept": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=timeout_s).close()
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            return f"the backend refused the API key (HTTP {error.code} on GET {path})"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return f"{url} did not answer GET {path} within {timeout_s:g} s"
        return f"cannot reach {url}: {reason}"
    return None


def run(args: argparse.Namespace) -> int:
    url = _base_url(args.url)
    budget_source = "--budget-ms"
    if args.budget_ms is None:
        args.budget_ms, budget_source = configured_budget(args.endpoint)
    if args.budget_ms <= 0:
        raise UsageError(f"--budget-ms must be above 0, got {args.budget_ms}")
    samples = _samples(args)
    api_key = _api_key(args)
    budget_s = args.budget_ms / 1000.0
    timeout_s = max(2 * budget_s, budget_s + 1)  # an answer later than this counts as a timeout error
    first = samples[0] if samples else ("12345678" if args.endpoint == "orders" else "+14155550123")
    path = f"/orders/{first}" if args.endpoint == "orders" else f"/customers?phone={quote(first, safe='')}"
    label = "GET /orders/{orderId}" if args.endpoint == "orders" else "GET /customers?phone="
    if problem := _preflight(url, path, api_key, timeout_s):
        print(f"ivr loadtest: {problem}", file=sys.stderr)
        return 1

    print(f"Load test: {label} on {url} at {args.rate:g} req/s for {args.duration:g} s "
          f"(budget {args.budget_ms} ms from {budget_source})", flush=True)
    settings = {
        "url": url, "api_key": api_key, "endpoint": args.endpoint, "values": samples, "rate": args.rate,
        "duration_s": args.duration, "budget_ms": args.budget_ms, "timeout_s": timeout_s,
    }
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        child = subprocess.run(
            [sys.executable, "-m", "loadtest.runner"], input=json.dumps(settings), stdout=subprocess.PIPE,
            text=True, env=environment, cwd=REPO_ROOT,
        )
    except KeyboardInterrupt:
        print("ivr loadtest: interrupted, no report", file=sys.stderr)
        return 130
    if child.returncode != 0:
        print(f"ivr loadtest: the load generator failed (exit status {child.returncode})", file=sys.stderr)
        return 1
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return report(result, rate=args.rate, budget_ms=args.budget_ms, max_error_rate=args.max_error_rate)


def report(result: dict, *, rate: float, budget_ms: int, max_error_rate: float) -> int:
    """Print what a go-live decision needs; the exit status: 0 fits, 1 does not."""
    requests, failures = result["requests"], result["failures"]
    if requests == 0:
        print("No request completed: the backend did not answer at all.")
        return 1
    error_rate = 100.0 * failures / requests
    print(f"Requests    {requests} in {result['duration_s']:.1f} s: {result['throughput']:.1f} req/s (target {rate:g})")
    print(f"Latency     p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
          f"p99 {result['p99_ms']:.0f} ms, max {result['max_ms']:.0f} ms")
    print(f"Errors      {failures} ({error_rate:.2f}%, limit {max_error_rate:g}%)")
    kinds = list(result["errors"].items())
    for reason, count in kinds[:5]:
        print(f"            {count} x {reason}")
    if len(kinds) > 5:
        print(f"            ... and {len(kinds) - 5} more kinds")
    if result["throughput"] < 0.9 * rate:
        print(f"Note: {result['throughput']:.1f} req/s is below the {rate:g} req/s asked: the backend "
              "(or this machine) did not keep up.")
    fits = result["p99_ms"] <= budget_ms
    errors_ok = error_rate <= max_error_rate
    verdict = "fits inside" if fits else "does NOT fit inside"
    print(f"p99 {result['p99_ms']:.0f} ms {verdict} the {budget_ms} ms budget.")
    if not errors_ok:
        print(f"Error rate {error_rate:.2f}% is above the {max_error_rate:g}% limit.")
    print("PASS" if fits and errors_ok else "FAIL")
    return 0 if fits and errors_ok else 1
