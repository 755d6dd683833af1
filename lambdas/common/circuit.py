"""A per-container circuit breaker for the customer backend (DD-5).

After `failure_threshold` consecutive failed calls the circuit opens: callers get ERROR at once
instead of waiting on a dead backend. After `cool_down_seconds` one call is let through (half
open); its success closes the circuit, its failure opens it for another cool-down.
A Lambda container serves one invocation at a time, so there is no locking.
"""
from __future__ import annotations

import time
from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = "CLOSED", "OPEN", "HALF_OPEN"


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 5, cool_down_seconds: float = 10.0, *, clock: Callable[[], float] = time.monotonic):
        self.failure_threshold = failure_threshold
        self.cool_down_seconds = cool_down_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        return HALF_OPEN if self._clock() - self._opened_at >= self.cool_down_seconds else OPEN

    def allow(self) -> bool:
        """May a call go to the backend now? In HALF_OPEN, the one call that probes."""
        return self.state != OPEN

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None

    def record_failure(self) -> None:
        self._failures += 1
        if self._opened_at is not None or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()  # a failed probe re-opens for a whole cool-down
