"""The store SMS deflection and caller verification each keep: a DynamoDB table with a TTL under
its own KMS key, and a generated secret (under the same key) for the HMAC that names the records."""
from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.nag import acknowledge


@dataclass(frozen=True)
class KeyedTable:
    key: kms.Key
    table: dynamodb.Table
    hmac_key: secretsmanager.Secret

    def grant_read_write(self, role: iam.Role) -> None:
        """What the store's one function may do: read and write single items, through DynamoDB only
        with the table's key, and read the HMAC key."""
        role.add_to_policy(iam.PolicyStatement(
            actions=["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            resources=[self.table.table_arn],
        ))
        role.add_to_policy(iam.PolicyStatement(
            actions=["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
            resources=[self.key.key_arn],
            conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{Stack.of(self.table).region}.amazonaws.com"}},
        ))
        self.hmac_key.grant_read(role)


def keyed_table(scope: Construct, *, retain: RemovalPolicy, key_description: str, secret_id: str,
                secret_description: str, rotation_reason: str) -> KeyedTable:
    """`scope`'s children TableKey, Table and `secret_id`; `rotation_reason` answers cdk-nag's
    SMG4 (why the HMAC secret is not rotated automatically)."""
    key = kms.Key(scope, "TableKey", description=key_description, enable_key_rotation=True, removal_policy=retain)
    table = dynamodb.Table(
        scope,
        "Table",
        partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
        time_to_live_attribute="expiration",
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True),
        removal_policy=retain,
    )
    secret = secretsmanager.Secret(
        scope,
        secret_id,
        description=secret_description,
        encryption_key=key,
        generate_secret_string=secretsmanager.SecretStringGenerator(exclude_punctuation=True, password_length=64),
        removal_policy=retain,
    )
    acknowledge(secret, "AwsSolutions-SMG4", rotation_reason)
    return KeyedTable(key, table, secret)
