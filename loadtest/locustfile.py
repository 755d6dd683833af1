"""Locust user that calls the customer backend the way the data dips do.

`ivr loadtest` runs it headless through `loadtest.runner`; it also works with the locust command:

    LOADTEST_API_KEY=... LOADTEST_ENDPOINT=orders locust -f loadtest/locustfile.py --host https://api.example.com

The answers a dip can speak count as successes: 200, and 404 (no such order / unknown caller,
since the ids sent are samples that need not exist on your backend). Anything else (401, 429, 5xx,
timeouts, resets, bodies that are not JSON) is a failure.
"""
from __future__ import annotations

import itertools
import os
from urllib.parse import quote

from locust import FastHttpUser, constant_throughput, task

# Samples from fake_backend/seed_data.json; `ivr loadtest --order-id/--phone` replaces them.
DEFAULT_ORDER_IDS = ("12345678", "23456789", "34567890", "45678901", "99999999")
DEFAULT_PHONES = ("+14155550123", "+12125550187", "+13125550144", "+15555550000")
ENDPOINTS = ("orders", "customers")


def _path(endpoint: str, value: str) -> tuple[str, str]:
    """(path to call, name to aggregate the statistics under)."""
    if endpoint == "orders":
        return f"/orders/{quote(value, safe='')}", "GET /orders/{orderId}"
    return f"/customers?phone={quote(value, safe='')}", "GET /customers?phone="


def _no_answer(error: BaseException | None) -> str:
    """One kind per cause (not per URL), so the report groups failures."""
    cause = getattr(error, "original", None) or error
    if isinstance(cause, TimeoutError) or "timed out" in str(cause):
        return "timeout: no answer in time"
    return f"no answer: {type(cause).__name__}"


class BackendUser(FastHttpUser):
    """One stream of dip-like requests; `loadtest.runner` sets the class attributes before a run."""

    endpoint = os.environ.get("LOADTEST_ENDPOINT", "orders")
    values = tuple(os.environ["LOADTEST_VALUES"].split(",")) if os.environ.get("LOADTEST_VALUES") else ()
    default_headers = {"x-api-key": os.environ.get("LOADTEST_API_KEY", ""), "Accept": "application/json"}
    wait_time = constant_throughput(1)
    network_timeout = connection_timeout = 10.0
    insecure = False  # verify the backend's TLS certificate, as the dips do

    _samples = None  # one round-robin shared by every user of the class

    def on_start(self) -> None:
        cls = type(self)
        if cls._samples is None:
            cls._samples = itertools.cycle(self.values or (DEFAULT_ORDER_IDS if self.endpoint == "orders" else DEFAULT_PHONES))

    @task
    def lookup(self) -> None:
        path, name = _path(self.endpoint, next(self._samples))
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 404:
                response.success()
            elif response.status_code == 200:
                try:
                    response.json()
                except ValueError:
                    response.failure("200 with a body that is not JSON")
                else:
                    response.success()
            elif response.status_code == 0:
                response.failure(_no_answer(response.error))
            else:
                response.failure(f"HTTP {response.status_code}")
