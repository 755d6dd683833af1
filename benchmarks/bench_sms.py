"""SMS deflection: cold import of the handler, and messages sent when one contact invokes it 3 times.

Import: a fresh interpreter per run (as a Lambda cold start imports the handler), median of the
runs, next to a bare interpreter's start-up and the naive baseline handler (benchmarks/_measure.py);
target (issue 16): at or under a third of the naive handler's (about half before). The service
(boto3, Idempotency) is imported by the first call, whose time is shown. Sends: the real handler against moto (DynamoDB
idempotency table + SNS in-process); the figure must be 1 message for 3 invocations.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

from benchmarks._measure import (
    LambdaContext,
    arguments,
    cold_imports,
    count,
    interpreter_ms,
    lambda_env,
    naive_handler,
    print_table,
    print_targets,
    quiet,
)

ENV = lambda_env("sms_deflection", SMS_DEFLECTION_TABLE_NAME="sms-deflection-bench", DIP_BUDGET_MS="4000",
                 RATE_LIMIT_KEY_SECRET_ARN="sms-rate-limit-key-bench",
                 SMS_CHANNEL="sns", ENROLLMENT_SOURCE="none",
                 SMS_MESSAGE="Thanks for choosing to text us. Reply with your question. Reply STOP to opt out.")
EVENT = {"Details": {"ContactData": {"ContactId": "bench-contact", "CustomerEndpoint": {"Address": "+14155550123"}},
                     "Parameters": {}}}


def sends_for_three_invocations() -> tuple[int, list[tuple[dict, float]]]:
    """(SMS messages SNS received, [(answer, ms)] of each invocation) for one contact invoking 3 times."""
    os.environ.update(ENV)
    import boto3
    from moto import mock_aws
    from moto.backends import get_backend

    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=ENV["SMS_DEFLECTION_TABLE_NAME"], BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        boto3.client("secretsmanager").create_secret(Name=ENV["RATE_LIMIT_KEY_SECRET_ARN"], SecretString="bench-key")
        from lambdas.sms_deflection import service
        from lambdas.sms_deflection.handler import lambda_handler

        service.build.cache_clear()
        invocations = []
        for _ in range(3):
            started = time.perf_counter()
            with quiet():  # the handler's log lines and EMF metrics
                answer = lambda_handler(EVENT, LambdaContext(5000))
            invocations.append((answer, (time.perf_counter() - started) * 1000))
        sent = len(get_backend("sns")["123456789012"]["us-east-1"].sms_messages)
    return sent, invocations


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_sms", __doc__)
    parser.add_argument("--runs", type=count, default=7, help="fresh interpreters for the cold import (default 7)")
    args = parser.parse_args(argv)

    naive, naive_env, _ = naive_handler()
    imports = cold_imports({"lambdas.sms_deflection.handler": ENV, naive: {**ENV, **naive_env}}, args.runs)
    handler_ms, naive_ms = statistics.median(imports["lambdas.sms_deflection.handler"]), statistics.median(imports[naive])
    print_table(["what", "ms"], [
        ("bare interpreter (whole process)", interpreter_ms(args.runs)),
        ("import lambdas.sms_deflection.handler", handler_ms),
        ("import naive handler (baseline)", naive_ms),
    ], title=f"sms_deflection cold import, median of {args.runs} fresh interpreters")
    print_targets("target", [("import / naive handler's import", handler_ms / naive_ms, "<= 0.33", "~0.5", handler_ms <= naive_ms / 3)])
    sent, invocations = sends_for_three_invocations()
    print_table(["invocation", "result", "channel", "ms"],
                [(number, answer["result"], answer["channel"], ms) for number, (answer, ms) in enumerate(invocations, 1)],
                title="one contact invoking the handler 3 times (moto in-process; the first imports the service)")
    print(f"  messages sent: {sent} (must be 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
