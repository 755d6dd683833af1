"""Who may use the operations key besides the account (SEC-2): the logs service for this stack's log
groups only, CloudWatch for this stack's alarms only (the key encrypts the alarm topic)."""
from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

from testkit.template_reading import alarms, of_type, properties_of_type

ACCOUNT, REGION = "111122223333", "us-east-1"  # of connect_instance_arn in cdk.json


def resolved(value) -> str:
    """A string the template spells with Fn::Join and AWS::Partition, as it reads in the aws partition."""
    if isinstance(value, str):
        return value
    parts = value["Fn::Join"][1]
    return "".join(part if isinstance(part, str) else {"AWS::Partition": "aws"}[part["Ref"]] for part in parts)


@pytest.fixture(scope="module")
def operations_key(template_json) -> tuple[str, dict]:
    (found,) = of_type(template_json, "AWS::KMS::Key", prefix="OperationsKey").items()
    return found[0], found[1]["Properties"]


def granted_to(key: dict, service: str) -> dict:
    (statement,) = [s for s in key["KeyPolicy"]["Statement"] if s.get("Principal") == {"Service": service}]
    return statement


def test_the_logs_service_may_use_the_key_only_for_log_groups_under_this_stacks_prefix(operations_key):
    _, key = operations_key
    statement = granted_to(key, f"logs.{REGION}.amazonaws.com")
    assert statement["Effect"] == "Allow" and "kms:GenerateDataKey*" in statement["Action"]
    assert set(statement["Condition"]) == {"ArnLike"}
    (pattern,) = statement["Condition"]["ArnLike"].values()
    assert list(statement["Condition"]["ArnLike"]) == ["kms:EncryptionContext:aws:logs:arn"]
    assert resolved(pattern) == f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/connect-ivr/dev/*"


def test_every_log_group_the_key_encrypts_is_named_under_that_prefix(template_json, operations_key):
    logical_id, key = operations_key
    (pattern,) = granted_to(key, f"logs.{REGION}.amazonaws.com")["Condition"]["ArnLike"].values()
    encrypted = {k: g for k, g in properties_of_type(template_json, "AWS::Logs::LogGroup").items()
                 if g.get("KmsKeyId") == {"Fn::GetAtt": [logical_id, "Arn"]}}
    assert len(encrypted) == 9  # one per function (eight), and the operators' page API access log
    for group in encrypted.values():
        # A generated name would be unknown here, so the condition could not be shown to cover it.
        assert isinstance(group["LogGroupName"], str), group
        assert fnmatchcase(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group['LogGroupName']}", resolved(pattern))


def alarm_sources(statement: dict) -> tuple[str, str]:
    """(aws:SourceAccount, aws:SourceArn pattern) a statement requires; the condition is exactly those two."""
    assert statement["Condition"].keys() == {"StringEquals", "ArnLike"}
    assert statement["Condition"]["StringEquals"].keys() == {"aws:SourceAccount"}
    assert statement["Condition"]["ArnLike"].keys() == {"aws:SourceArn"}
    return statement["Condition"]["StringEquals"]["aws:SourceAccount"], resolved(statement["Condition"]["ArnLike"]["aws:SourceArn"])


def test_cloudwatch_may_use_the_key_only_for_this_stacks_alarms(template_json, operations_key):
    _, key = operations_key
    statement = granted_to(key, "cloudwatch.amazonaws.com")
    assert statement["Effect"] == "Allow" and sorted(statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    account, source = alarm_sources(statement)
    assert account == ACCOUNT
    assert source == f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:connect-ivr-dev-*"


def test_every_alarm_of_the_stack_is_one_cloudwatch_may_publish_for(template_json, operations_key):
    """The topic policy and the key policy name the same alarms, and those are all the stack's alarms:
    an alarm outside the pattern would fail to notify without any deploy error."""
    _, key = operations_key
    (topic_policy,) = properties_of_type(template_json, "AWS::SNS::TopicPolicy").values()
    (publish,) = [s for s in topic_policy["PolicyDocument"]["Statement"] if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert alarm_sources(publish) == alarm_sources(granted_to(key, "cloudwatch.amazonaws.com"))
    _, source = alarm_sources(publish)
    names = [a["AlarmName"] for a in alarms(template_json).values()]
    names += [a["AlarmName"] for a in properties_of_type(template_json, "AWS::CloudWatch::CompositeAlarm").values()]
    assert len(names) > 50
    for name in names:
        assert isinstance(name, str) and fnmatchcase(f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}", source), name
