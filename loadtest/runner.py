"""Run the load test headless with locust as a library, in its own process.

Locust patches the standard library with gevent when imported, so `ivr loadtest` starts this
module in a child process (`python -m loadtest.runner`), writes the run's settings as JSON to its
stdin (the API key never appears in argv or the environment) and reads the result as JSON from
its stdout. Progress lines go to stderr.
"""
from __future__ import annotations

import json
import logging
import math
import sys
import time
from collections import Counter

import gevent
import locust  # noqa: F401  (first: gevent's monkey patching)
from locust import constant_throughput
from locust.env import Environment

from loadtest.locustfile import BackendUser


def percentile(sorted_ms: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (0.0 when empty)."""
    if not sorted_ms:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_ms)))
    return sorted_ms[rank - 1]


def users_for(rate: float, budget_ms: int) -> int:
    """Enough users that each sends one request every (budget + 1 s): the rate holds even when
    every answer takes the whole budget."""
    return max(1, math.ceil(rate * (budget_ms / 1000.0 + 1.0)))


def run(settings: dict, progress=sys.stderr) -> dict:
    rate, duration_s, budget_ms = settings["rate"], settings["duration_s"], settings["budget_ms"]
    timeout_s = settings["timeout_s"]
    users = users_for(rate, budget_ms)
    user_class = type(
        "LoadTestUser",
        (BackendUser,),
        {
            "endpoint": settings["endpoint"],
            "values": tuple(settings.get("values") or ()),
            "default_headers": {"x-api-key": settings["api_key"], "Accept": "application/json"},
            "wait_time": constant_throughput(rate / users),
            "network_timeout": timeout_s,
            "connection_timeout": timeout_s,
        },
    )
    times_ms: list[float] = []
    errors: Counter[str] = Counter()

    def on_request(response_time, exception, start_time=None, **_):
        if start_time is not None and start_time > ends_at:
            return  # sent while the run was stopping: not part of the measured rate
        times_ms.append(response_time)
        if exception is not None:
            errors[str(exception)] += 1

    environment = Environment(user_classes=[user_class], host=settings["url"], stop_timeout=timeout_s + 1)
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    started = time.monotonic()
    ends_at = time.time() + duration_s
    # Spawning `rate` users per second spreads the users' first requests evenly over the period.
    runner.start(users, spawn_rate=rate)
    every_s = 1 if duration_s <= 15 else 5
    while (elapsed := time.monotonic() - started) < duration_s:
        gevent.sleep(min(every_s, duration_s - elapsed))
        elapsed = time.monotonic() - started
        done = len(times_ms)
        p95 = percentile(sorted(times_ms), 0.95)
        error_pct = 100.0 * sum(errors.values()) / done if done else 0.0
        print(
            f"  {elapsed:5.0f}s/{duration_s:g}s  {done} requests  {done / elapsed:.1f} req/s  "
            f"p95 {p95:.0f} ms  errors {error_pct:.1f}%",
            file=progress,
            flush=True,
        )
    measured_s = time.monotonic() - started
    ends_at = time.time()  # count what is in flight, nothing new
    runner.stop()  # lets requests in flight finish (up to the timeout), so slow answers are counted
    runner.quit()
    ordered = sorted(times_ms)
    return {
        "requests": len(ordered),
        "failures": sum(errors.values()),
        "errors": dict(errors.most_common()),
        "duration_s": round(measured_s, 3),
        "throughput": len(ordered) / measured_s if measured_s else 0.0,
        "users": users,
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": ordered[-1] if ordered else 0.0,
    }


def main() -> int:
    logging.basicConfig(level=logging.ERROR, format="loadtest: %(message)s")
    settings = json.load(sys.stdin)
    gevent.get_hub().NOT_ERROR += (KeyboardInterrupt,)  # Ctrl-C: exit 130 without a hub report
    try:
        result = run(settings)
    except KeyboardInterrupt:
        return 130
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
