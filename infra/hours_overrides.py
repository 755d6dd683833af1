"""Hours overrides (issue 15): the hours of operation follow the CLOSE messages.

The messages table's stream (MESSAGE items only, filtered here) invokes `lambdas/hours_overrides`,
which makes every hours resource of the app hold a CLOSED override for each CLOSE message that
applies to it, so the flows' hours check agrees with the messages even when the closure check
fails (and callbacks and Connect's reports know about the holidays too).

- Retried: a failed batch is retried, bisected to find the record that fails, then its stream
  position is sent to the failure queue (SQS, encrypted, TLS only); monitoring alarms when that
  queue is not empty (infra/monitoring/alarms.py). The operator's edit is written before the
  stream sees it: never blocked.
- Daily (04:17 UTC) it also reconciles every hours resource, as days pass without edits.
- Least privilege: the function may describe, list and change the overrides of the app's hours
  resources only (those the flows check, created or given by ARN), read the stream and query the table.
"""
from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from configuration.model import IvrConfig
from configuration.runtime_values import created_queue_hours, hours_overrides_environment
from infra.lambda_function import IvrFunction
from infra.nag import acknowledge
from lambdas.closure_check.items import MESSAGE_PARTITION, PARTITION_KEY

FOLDER = "hours_overrides"
TIMEOUT_SECONDS = 60  # a few hours resources, up to 50 overrides each, with botocore's retries
RETRY_ATTEMPTS = 4


class HoursOverrides(Construct):
    """`hours_arns`: every hours resource the flows check, by name; `queues`: the flows' queue names.
    `.function` and `.failures` (the failure queue) are what monitoring alarms on."""

    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig, log_key: kms.IKey,
                 table: dynamodb.Table, hours_arns: Mapping[str, str], queues: list[str]) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.function = IvrFunction(
            self, "Function", folder=FOLDER, config=config, log_key=log_key, invoked_by_connect=False,
            description="Hours overrides: the hours of operation follow the CLOSE holiday and emergency messages",
            timeout_seconds=TIMEOUT_SECONDS, also_ships=("closure_check",),
            environment=hours_overrides_environment(
                config, table_name=table.table_name, hours_arns_json=stack.to_json_string(dict(hours_arns)),
                queue_hours_json=stack.to_json_string(created_queue_hours(config, queues))),
        )
        role = self.function.role
        role.add_to_policy(iam.PolicyStatement(
            actions=["connect:DescribeHoursOfOperation", "connect:ListHoursOfOperationOverrides",
                     "connect:CreateHoursOfOperationOverride", "connect:UpdateHoursOfOperationOverride",
                     "connect:DeleteHoursOfOperationOverride"],
            resources=sorted(hours_arns.values()),
        ))
        role.add_to_policy(iam.PolicyStatement(actions=["dynamodb:Query"], resources=[table.table_arn]))
        self.failures = sqs.Queue(
            self, "Failures", encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        self.function.function.add_event_source(sources.DynamoEventSource(
            table,
            starting_position=lambda_.StartingPosition.LATEST,
            batch_size=10,
            bisect_batch_on_error=True,
            retry_attempts=RETRY_ATTEMPTS,
            max_record_age=Duration.hours(6),
            on_failure=sources.SqsDlq(self.failures),
            filters=[lambda_.FilterCriteria.filter(
                {"dynamodb": {"Keys": {PARTITION_KEY: {"S": lambda_.FilterRule.is_equal(MESSAGE_PARTITION)}}}})],
        ))
        # Days pass without edits: renew ALWAYS closures, move yearly ones on, let a deferred override in.
        events.Rule(self, "Daily", description="Hours overrides: reconcile every hours resource with the messages once a day",
                    schedule=events.Schedule.cron(minute="17", hour="4"),
                    targets=[targets.LambdaFunction(self.function.function, retry_attempts=2)])
        acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                    "dynamodb:ListStreams, which the event source mapping needs, has no resource-level permissions.")
        acknowledge(self.failures, "AwsSolutions-SQS3",
                    "This queue is the failure destination of the stream's event source mapping: nothing reads it but an operator.")
