"""IvrMonitoring on its own: a small stack with all five functions, the table and two flows.

This pins what monitoring adds per function, per backend caller, per flow and per table
(the figures in the report), whatever the rest of the IVR stack has built so far, and checks the
configuration that reaches it (emails, thresholds, log group, switching it off).
"""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from configuration.errors import ConfigError
from configuration.model import load_config
from infra.monitoring.alarms import REPORTED_FAILURES
from infra.monitoring.metrics import CONNECT_NAMESPACE
from lambdas.common.observability import NAMESPACE
from testkit.template_reading import alarms, alarms_watching, dashboard_widgets, expression, properties_of_type, watched

FUNCTIONS = ("closure_check", "order_status", "customer_lookup", "interaction_log", "sms_deflection")
BACKEND = ("order_status", "customer_lookup", "interaction_log")
FLOWS = {"main_menu": "IVR main menu", "order_status": "IVR order status"}
REPORTED = {metric for failures in REPORTED_FAILURES.values() for metric, _, _ in failures}
OVERRIDES = {
    "alarm_emails": ["oncall@example.com", "lead@example.com"],
    "alarm_thresholds": {"backend_min_calls": 50, "flow_errors": 2, "dip_duration_percent_of_budget": 90, "backend_4xx": 7},
    "connect_flow_log_group": "/aws/connect/acme-prod",
}


@pytest.fixture(scope="module")
def built(cdk_context):
    from aws_cdk import App, Stack
    from aws_cdk import aws_connect as connect
    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk import aws_logs as logs

    from infra.monitoring import IvrMonitoring

    config = load_config({**cdk_context, **OVERRIDES})
    app = App()
    stack = Stack(app, "MonitoringOnly", env={"account": config.connect_instance.account, "region": config.connect_instance.region})
    functions = {}
    for name in FUNCTIONS:  # stand-ins with the two attributes of IvrFunction that monitoring reads
        log_group = logs.LogGroup(stack, f"{name}Logs")
        function = lambda_.Function(stack, name, runtime=lambda_.Runtime.PYTHON_3_13, handler="h.h", code=lambda_.Code.from_inline("x"), log_group=log_group)
        functions[name] = SimpleNamespace(function=function, log_group=log_group)
    table = dynamodb.Table(stack, "Messages", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING))
    flows = {
        stem: connect.CfnContactFlow(stack, f"{stem}Flow", instance_arn=config.connect_instance.arn, name=name, type="CONTACT_FLOW", content="{}")
        for stem, name in FLOWS.items()
    }
    monitoring = IvrMonitoring(
        stack, "Monitoring", config=config, key=kms.Key(stack, "Key"), functions=functions, backend_services=BACKEND, table=table, flows=flows
    )
    template = app.synth().get_stack_by_name("MonitoringOnly").template
    return config, stack, monitoring, template


def _alarm_subjects(template) -> Counter:
    """How many alarms watch each function / backend service / flow / table / the instance."""
    subjects = Counter()
    for alarm in alarms(template).values():
        first = watched(alarm)[0]
        if first.namespace == "AWS/Lambda":
            subjects["function"] += 1
        elif first.namespace == NAMESPACE:
            subjects["reported" if first.name in REPORTED else "backend"] += 1
        elif "ContactFlowName" in first.dimensions:
            subjects["flow"] += 1
        elif first.namespace == CONNECT_NAMESPACE:
            subjects["instance"] += 1
        else:
            subjects[first.namespace] += 1
    return subjects


def test_alarms_per_function_backend_caller_flow_and_table(built):
    _, _, _, template = built
    assert _alarm_subjects(template) == {
        "function": 3 * len(FUNCTIONS),  # errors, throttles, p99 duration near budget
        "backend": 5 * len(BACKEND),  # error rate, timeouts, 4xx (key refused, throttled), circuit open, API key unavailable
        "reported": 3,  # closure_check: messages table unreadable; sms_deflection: send and store errors
        "flow": 2 * len(FLOWS),  # ContactFlowErrors, ContactFlowFatalErrors
        "instance": 3,  # ThrottledCalls, CallsBreachingConcurrencyQuota, MisconfiguredPhoneNumbers
        "AWS/DynamoDB": 3,  # system errors, read throttles, write throttles
    }
    assert len(properties_of_type(template, "AWS::CloudWatch::CompositeAlarm")) == 1


def test_thresholds_from_configuration_reach_the_alarms(built):
    config, stack, _, template = built
    (rate,) = alarms_watching(template, NAMESPACE, "BackendCalls", service="order_status").values()
    assert "calls >= 50" in expression(rate)
    for service in BACKEND:
        (refused,) = [a for a in alarms_watching(template, NAMESPACE, "BackendError4xx", service=service).values() if len(watched(a)) == 1]
        assert refused["Threshold"] == 7
    for flow in FLOWS.values():
        (errors,) = alarms_watching(template, CONNECT_NAMESPACE, "ContactFlowErrors", ContactFlowName=flow).values()
        assert errors["Threshold"] == 2
    fn = stack.resolve(built[2].functions["order_status"].function.function_name)  # {"Ref": logical id}
    (duration,) = alarms_watching(template, "AWS/Lambda", "Duration", FunctionName=fn).values()
    assert duration["Threshold"] == config.dip("order_status").budget_ms * 90 // 100


def test_alarm_emails_are_subscribed_to_the_topic(built):
    _, _, _, template = built
    subscriptions = properties_of_type(template, "AWS::SNS::Subscription").values()
    assert sorted(s["Endpoint"] for s in subscriptions) == sorted(OVERRIDES["alarm_emails"])
    assert {s["Protocol"] for s in subscriptions} == {"email"}


def test_widgets_per_function_and_flow(built):
    _, _, _, template = built
    titles = [w.get("properties", {}).get("title", "") for w in dashboard_widgets(template)]
    for name in FUNCTIONS:
        assert sum(title.startswith(f"{name}:") for title in titles) == (4 if name in BACKEND else 2)
    assert titles.count("closure_check answers") == 1
    (flow_widget,) = [w for w in dashboard_widgets(template) if w.get("properties", {}).get("title") == "Flow errors"]
    assert len(flow_widget["properties"]["metrics"]) == 2 * len(FLOWS)


def test_queries_use_the_configured_flow_log_group(built):
    _, _, _, template = built
    queries = {q["Name"]: q for q in properties_of_type(template, "AWS::Logs::QueryDefinition").values()}
    assert queries["connect-ivr-dev/callers-abandon"]["LogGroupNames"] == ["/aws/connect/acme-prod"]
    assert len(queries["connect-ivr-dev/dip-outcomes"]["LogGroupNames"]) == len(FUNCTIONS)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"alarm_thresholds": {"flow_erors": 1}}, "cdk.json context 'alarm_thresholds.flow_erors' is not a known threshold"),
        ({"alarm_thresholds": {"dip_duration_percent_of_budget": 150}},
         "'alarm_thresholds.dip_duration_percent_of_budget' must be a whole number from 10 to 100"),
        ({"alarm_thresholds": {"flow_errors": -1}}, "'alarm_thresholds.flow_errors' must be a whole number from 0 to 100000"),
        ({"alarm_thresholds": {"backend_4xx": "many"}}, "'alarm_thresholds.backend_4xx' must be a whole number from 0 to 100000"),
        ({"alarm_thresholds": "5"}, "'alarm_thresholds' must be an object"),
        ({"monitoring_enabled": "maybe"}, "'monitoring_enabled' must be true or false"),
        ({"connect_flow_log_group": "no spaces allowed"}, "'connect_flow_log_group' must be a CloudWatch Logs log group name"),
    ],
)
def test_a_wrong_monitoring_setting_names_its_key(cdk_context, overrides, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config({**cdk_context, **overrides})


def test_monitoring_can_be_switched_off_from_the_command_line(cdk_context, tmp_path):
    from app import build_app

    # `-c monitoring_enabled=false` arrives as a string.
    assert load_config({**cdk_context, "monitoring_enabled": "false"}).monitoring.enabled is False
    assert load_config(cdk_context).monitoring.enabled is True
    _, stack = build_app({"monitoring_enabled": "false"}, outdir=str(tmp_path))
    assert not hasattr(stack, "monitoring") and stack.node.try_find_child("Monitoring") is None
