"""Holiday and emergency messages (MSG-1..4, CX-8): the table operators edit and the closure check that reads it.

- The table: on-demand DynamoDB, encrypted with its own customer-managed key (rotated), point-in-time
  recovery, deletion protection, retained when the stack is deleted (MSG-4). Its key schema is
  defined once in `lambdas.closure_check.items` (see that module for the layout: messages and
  their change history in two partitions of this one table); the local simulator builds its
  table from the same definition.
- The closure check: reads the table with Query only (no writes, no scans) and decrypts with the
  table's key only through DynamoDB. Its timeout derives from `dips.closure_check.budget_ms`.
- Operators find the table name in the stack output `MessagesTableName` (for `ivr messages --table`
  or IVR_MESSAGES_TABLE).
"""
from __future__ import annotations

from aws_cdk import CfnOutput, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from configuration.model import IvrConfig
from configuration.runtime_values import closure_check_environment
from infra.lambda_function import IvrFunction
from lambdas.closure_check.items import KEY_SCHEMA

FOLDER = "closure_check"


class HolidayAndEmergencyMessages(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig, log_key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.table_key = kms.Key(
            self,
            "TableKey",
            description="Connect IVR: holiday and emergency messages table",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,  # the retained table stays readable
        )
        keys = {k["KeyType"]: dynamodb.Attribute(name=k["AttributeName"], type=dynamodb.AttributeType.STRING) for k in KEY_SCHEMA}
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=keys["HASH"],
            sort_key=keys["RANGE"],
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.table_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,  # the hours overrides follow the edits (infra/hours_overrides.py)
        )
        self.closure_check = IvrFunction(
            self,
            "ClosureCheck",
            folder=FOLDER,
            description="Closure check: the holiday or emergency message a caller hears at call start (CX-8, MSG-2)",
            config=config,
            log_key=log_key,
            environment=closure_check_environment(config, table_name=self.table.table_name),
        )
        role = self.closure_check.role
        role.add_to_policy(iam.PolicyStatement(actions=["dynamodb:Query"], resources=[self.table.table_arn]))
        role.add_to_policy(iam.PolicyStatement(
            actions=["kms:Decrypt"],
            resources=[self.table_key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{Stack.of(self).region}.amazonaws.com"}},
        ))
        output = CfnOutput(self, "MessagesTableName", value=self.table.table_name,
                           description="Holiday and emergency messages table: `ivr messages --table NAME` or IVR_MESSAGES_TABLE")
        output.override_logical_id("MessagesTableName")  # the name operators look up, not a generated one
