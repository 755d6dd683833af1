"""SMS deflection: cold import of the handler, and messages sent when one contact invokes it 3 times.

Import: a fresh interpreter per run (as a Lambda cold start imports the handler), median of the
runs, next to a bare interpreter's start-up. Sends: the real handler against moto (DynamoDB
idempotency table + SNS in-process); the figure must be 1 message for 3 invocations.
Usage: `python -m benchmarks.bench_sms [runs]` (default 7).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_IMPORT = "import time; t = time.perf_counter(); {statement}; print((time.perf_counter() - t) * 1000)"
ENV = {
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_SERVICE_NAME": "sms_deflection", "POWERTOOLS_METRICS_NAMESPACE": "ConnectIVR", "POWERTOOLS_LOG_LEVEL": "WARNING",
    "SMS_DEFLECTION_TABLE_NAME": "sms-deflection-bench", "DIP_BUDGET_MS": "4000", "SMS_CHANNEL": "sns", "ENROLLMENT_SOURCE": "none",
    "SMS_MESSAGE": "Thanks for choosing to text us. Reply with your question. Reply STOP to opt out.",
}


def _child_ms(statement: str) -> tuple[float, float]:
    """(wall time of the whole interpreter, time of the statement) in ms."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _IMPORT.format(statement=statement)], cwd=REPO_ROOT,
                         env={**os.environ, **ENV}, capture_output=True, text=True, check=True).stdout
    return (time.perf_counter() - started) * 1000, float(out.strip().splitlines()[-1])


def cold_import(runs: int) -> dict[str, float]:
    bare = [_child_ms("pass")[0] for _ in range(runs)]
    handler = [_child_ms("import lambdas.sms_deflection.handler") for _ in range(runs)]
    return {
        "interpreter_ms": statistics.median(bare),
        "handler_import_ms": statistics.median(ms for _, ms in handler),
    }


def sends_for_three_invocations() -> tuple[int, list[dict], list[float]]:
    os.environ.update(ENV)
    import contextlib
    import io

    import boto3
    from moto import mock_aws
    from moto.backends import get_backend

    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=ENV["SMS_DEFLECTION_TABLE_NAME"], BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        from lambdas.sms_deflection import service
        from lambdas.sms_deflection.handler import lambda_handler

        service.build.cache_clear()
        event = {"Details": {"ContactData": {"ContactId": "bench-contact", "CustomerEndpoint": {"Address": "+14155550123"}}, "Parameters": {}}}
        answers, latencies = [], []
        for _ in range(3):
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # the handler's log lines and EMF metrics
                answers.append(lambda_handler(event, _Context()))
            latencies.append((time.perf_counter() - started) * 1000)
        sent = len(get_backend("sns")["123456789012"]["us-east-1"].sms_messages)
    return sent, answers, latencies


class _Context:
    """What the handler reads from Lambda's context: the time left."""

    def get_remaining_time_in_millis(self) -> int:
        return 5000


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    figures = cold_import(runs)
    print(f"sms_deflection cold import (median of {runs} fresh interpreters):")
    print(f"  bare interpreter start-up        {figures['interpreter_ms']:7.1f} ms (whole process)")
    print(f"  import lambdas.sms_deflection.handler {figures['handler_import_ms']:7.1f} ms")
    sent, answers, latencies = sends_for_three_invocations()
    print("one contact invoking the handler 3 times (moto in-process):")
    for number, (answer, ms) in enumerate(zip(answers, latencies), 1):
        print(f"  invocation {number}: result={answer['result']} channel={answer['channel']} ({ms:.1f} ms)")
    print(f"  messages sent: {sent} (must be 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
