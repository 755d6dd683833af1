"""The hours overrides as deployed (issue 15): the stream, its event source mapping, the least-privilege role, the alarm."""
from __future__ import annotations

import json

from lambdas.closure_check.items import KEY_SCHEMA
from lambdas.hours_overrides.environment import HOURS_ENV, QUEUE_HOURS_ENV
from testkit.template_reading import of_type, properties_of_type, watched


def _function(template_json) -> tuple[str, dict]:
    [(name, function)] = [(k, f) for k, f in properties_of_type(template_json, "AWS::Lambda::Function").items()
                          if f["Handler"] == "lambdas.hours_overrides.handler.lambda_handler"]
    return name, function


def _table(template_json) -> tuple[str, dict]:
    [(name, table)] = [(k, t) for k, t in properties_of_type(template_json, "AWS::DynamoDB::Table").items() if t["KeySchema"] == KEY_SCHEMA]
    return name, table


def _statements(template_json, role: str) -> list[dict]:
    return [s for policy in properties_of_type(template_json, "AWS::IAM::Policy").values() if {"Ref": role} in policy["Roles"]
            for s in policy["PolicyDocument"]["Statement"]]


def test_the_messages_table_streams_old_and_new_images(template_json):
    _, table = _table(template_json)
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}


def test_the_stream_invokes_the_function_for_messages_only_with_retries_bisect_and_a_failure_queue(template_json):
    function_name, _ = _function(template_json)
    table_name, _ = _table(template_json)
    [mapping] = properties_of_type(template_json, "AWS::Lambda::EventSourceMapping").values()
    assert mapping["FunctionName"] == {"Ref": function_name}
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [table_name, "StreamArn"]}
    assert json.loads(mapping["FilterCriteria"]["Filters"][0]["Pattern"]) == {"dynamodb": {"Keys": {"pk": {"S": ["MESSAGE"]}}}}
    assert mapping["BisectBatchOnFunctionError"] is True and 1 <= mapping["MaximumRetryAttempts"] <= 10
    queue = mapping["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    assert template_json["Resources"][queue]["Type"] == "AWS::SQS::Queue"
    assert template_json["Resources"][queue]["Properties"]["SqsManagedSseEnabled"] is True


def test_the_function_may_change_the_apps_hours_only(template_json):
    _, function = _function(template_json)
    role = function["Role"]["Fn::GetAtt"][0]
    connect = [s for s in _statements(template_json, role) if any(a.startswith("connect:") for a in s["Action"])]
    assert len(connect) == 1
    hours = of_type(template_json, "AWS::Connect::HoursOfOperation", prefix="ContactFlows")  # not the test cases' always-open ones
    resources = connect[0]["Resource"] if isinstance(connect[0]["Resource"], list) else [connect[0]["Resource"]]
    assert resources == [{"Fn::GetAtt": [name, "HoursOfOperationArn"]} for name in sorted(hours)]
    assert set(connect[0]["Action"]) == {
        "connect:DescribeHoursOfOperation", "connect:ListHoursOfOperationOverrides", "connect:CreateHoursOfOperationOverride",
        "connect:UpdateHoursOfOperationOverride", "connect:DeleteHoursOfOperationOverride"}
    wildcard = [s for s in _statements(template_json, role) if s["Resource"] == "*"]
    assert [s["Action"] for s in wildcard] == ["dynamodb:ListStreams"]  # has no resource-level permissions


def test_the_function_knows_every_hours_resource_and_the_hours_of_the_queues_it_created(template_json):
    _, function = _function(template_json)
    variables = function["Environment"]["Variables"]
    joined = json.dumps(variables[HOURS_ENV])
    flows_hours = of_type(template_json, "AWS::Connect::HoursOfOperation", prefix="ContactFlows")
    assert flows_hours and all(name in joined for name in flows_hours)
    test_hours = of_type(template_json, "AWS::Connect::HoursOfOperation", prefix="JourneyTestCases")
    assert test_hours and not any(name in joined for name in test_hours)
    queues = {q["Name"] for q in properties_of_type(template_json, "AWS::Connect::Queue").values()}
    assert set(json.loads(variables[QUEUE_HOURS_ENV])) == queues


def test_a_sync_that_failed_for_good_or_a_deferred_override_alarms(template_json):
    [mapping] = properties_of_type(template_json, "AWS::Lambda::EventSourceMapping").values()
    queue = mapping["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    found = {a["AlarmName"]: a for a in properties_of_type(template_json, "AWS::CloudWatch::Alarm").values()}
    failed, deferred = found["connect-ivr-dev-hours-overrides-failed"], found["connect-ivr-dev-hours-overrides-deferred"]
    [in_queue] = watched(failed)
    assert (in_queue.namespace, in_queue.name, in_queue.dimensions) == (
        "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": {"Fn::GetAtt": [queue, "QueueName"]}})
    assert failed["Threshold"] == 0
    [deferred_metric] = watched(deferred)
    assert (deferred_metric.name, deferred_metric.dimensions) == ("HoursOverridesDeferred", {"service": "hours_overrides"})
    # (every alarm's topic and wording: tests/infra/test_monitoring.py)
    assert "ivr messages apply" in failed["AlarmDescription"]


def test_a_daily_run_reconciles_as_days_pass_without_edits(template_json):
    function_name, _ = _function(template_json)
    [rule] = [r for r in properties_of_type(template_json, "AWS::Events::Rule").values()
              if any(t["Arn"] == {"Fn::GetAtt": [function_name, "Arn"]} for t in r["Targets"])]
    assert rule["ScheduleExpression"] == "cron(17 4 * * ? *)" and rule["State"] == "ENABLED"
