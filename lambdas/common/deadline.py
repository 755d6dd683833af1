"""The time a data dip has to answer (DD-5).

A caller waits in silence while a dip runs, so every dip works against one deadline that covers
reading the API key, connecting, reading the whole response and any retries:

    deadline = min(configured budget, Lambda's remaining time - margin)

The configured budget is the function's `DIP_BUDGET_MS` environment variable, set by
infra.data_dips from the same `dips.<name>.budget_ms` setting the flow's InvocationTimeLimitSeconds
and the Lambda timeout derive from, so the three cannot disagree. The margin leaves time to shape
the answer, flush the metrics and hand the answer back before Lambda would kill the function.
"""
from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable
from typing import Any

BUDGET_ENV = "DIP_BUDGET_MS"
# Shaping the answer, writing one log line and the EMF metrics takes ~1 ms; the rest is slack.
LAMBDA_MARGIN_MS = 200
DEFAULT_BUDGET_MS = 2000

Clock = Callable[[], float]


class Deadline:
    """A point on a monotonic clock; `remaining()` never goes below zero."""

    __slots__ = ("_clock", "_started_at", "_expires_at")

    def __init__(self, seconds: float, *, clock: Clock = time.monotonic):
        self._clock = clock
        self._started_at = clock()
        self._expires_at = self._started_at + max(0.0, seconds)

    @classmethod
    def for_invocation(
        cls,
        budget_ms: int,
        context: Any = None,
        *,
        margin_ms: int = LAMBDA_MARGIN_MS,
        clock: Clock = time.monotonic,
    ) -> Deadline:
        """The dip's budget, cut short when Lambda itself has less time left."""
        allowed_ms = float(budget_ms)
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        if callable(remaining):
            with contextlib.suppress(TypeError, ValueError):
                allowed_ms = min(allowed_ms, float(remaining()) - margin_ms)
        return cls(allowed_ms / 1000.0, clock=clock)

    def remaining(self) -> float:
        """Seconds left, 0.0 once expired."""
        return max(0.0, self._expires_at - self._clock())

    def remaining_ms(self) -> int:
        return int(self.remaining() * 1000)

    @property
    def expired(self) -> bool:
        return self._clock() >= self._expires_at

    def elapsed_ms(self) -> float:
        return (self._clock() - self._started_at) * 1000.0


def budget_from_env(default_ms: int = DEFAULT_BUDGET_MS) -> int:
    """The dip's configured budget in milliseconds; a missing or broken value falls back to the default."""
    raw = os.environ.get(BUDGET_ENV, "")
    try:
        value = int(raw)
    except ValueError:
        return default_ms
    return value if value > 0 else default_ms


_long_lived_frozen = False


def freeze_long_lived_objects() -> None:
    """Take every object alive now out of the garbage collector's sight; only the first call acts.

    A full collection walks every tracked object. In a warm dip container that is ~58,000 objects,
    most of them from botocore and its Secrets Manager client, and the walk takes ~13 ms of a core;
    at the default 256 MB a function gets a seventh of a vCPU (one at 1,769 MB), so a collection
    that lands in a call could keep a caller waiting ~90 ms more. It is called once the container's
    long-lived objects exist: by the dips' secrets reader after the first key read, by the closure
    check after its first table read. Later collections walk only what calls create: 0.04 ms
    (`python -m benchmarks.bench_dips` measures both).

    Frozen objects are still freed by reference counting; only cycles among them that later become
    garbage would stay, which is why it acts once per process and not after every new client.
    """
    global _long_lived_frozen
    if not _long_lived_frozen:
        _long_lived_frozen = True
        gc.freeze()
