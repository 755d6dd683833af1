"""The AWS clients of `ivr messages`: every call bounded, and a slow one says so.

Each call gets a connect timeout of CONNECT_TIMEOUT_SECONDS and a read timeout of
READ_TIMEOUT_SECONDS per attempt, and at most MAX_ATTEMPTS attempts: a hung endpoint costs an
operator seconds, not the 40 s of botocore's defaults, and a call still running after
NOTICE_AFTER_SECONDS prints "waiting for DynamoDB..." on stderr, so silence never looks like work.
"""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

CONNECT_TIMEOUT_SECONDS = 2
READ_TIMEOUT_SECONDS = 4
MAX_ATTEMPTS = 2  # one retry: enough for a dropped connection, short enough to wait for
NOTICE_AFTER_SECONDS = 1.0
SERVICE_NAMES = {"dynamodb": "DynamoDB", "sts": "AWS STS"}


def client(session: Any, service: str) -> Any:
    """A bounded client of `service` from a boto3 session (AWS_ENDPOINT_URL is honored by boto3)."""
    from botocore.config import Config

    config = Config(connect_timeout=CONNECT_TIMEOUT_SECONDS, read_timeout=READ_TIMEOUT_SECONDS,
                    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return Patient(session.client(service, config=config), SERVICE_NAMES.get(service, service))


def say(text: str) -> None:
    print(f"ivr messages: {text}", file=sys.stderr, flush=True)


class Patient:
    """A botocore client whose API calls, when one runs longer than NOTICE_AFTER_SECONDS, say so once."""

    def __init__(self, wrapped: Any, service_name: str, notice: Callable[[str], None] = say) -> None:
        self._wrapped, self._service_name, self._notice = wrapped, service_name, notice

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._wrapped, name)
        if name.startswith("_") or not callable(attribute) or name in ("get_waiter", "get_paginator", "can_paginate"):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            timer = threading.Timer(NOTICE_AFTER_SECONDS, self._notice, [f"waiting for {self._service_name}..."])
            timer.daemon = True
            timer.start()
            try:
                return attribute(*args, **kwargs)
            finally:
                timer.cancel()
        return call
