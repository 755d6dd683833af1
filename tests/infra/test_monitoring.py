"""Monitoring (OPS-1..3) in the synthesized template: every deployed function and flow is watched.

What is monitored is read from the template itself (the functions, contact flows and table the
stack deploys), so a new function or flow without alarms fails here.
"""
from __future__ import annotations

import pytest

from configuration.model import load_config
from infra.hours_overrides import TIMEOUT_SECONDS as HOURS_OVERRIDES_TIMEOUT_SECONDS
from infra.monitoring.alarms import REPORTED_FAILURES
from infra.monitoring.metrics import BACKEND_ERROR_KINDS, CONNECT_NAMESPACE
from lambdas.common.observability import NAMESPACE, MetricName
from testkit.template_reading import alarms, alarms_watching, dashboard_widgets, expression, figures, properties_of_type, watched

INSTANCE_ALARMS = ("ThrottledCalls", "CallsBreachingConcurrencyQuota", "MisconfiguredPhoneNumbers")


@pytest.fixture(scope="module")
def config(cdk_context):
    return load_config(cdk_context)


@pytest.fixture(scope="module")
def stack(synthesized_app):
    return synthesized_app[1]


@pytest.fixture(scope="module")
def topic_ref(template_json):
    topics = properties_of_type(template_json, "AWS::SNS::Topic")
    alarm_topics = [key for key in topics if key.startswith("MonitoringAlarmTopic")]
    assert len(alarm_topics) == 1
    return {"Ref": alarm_topics[0]}


@pytest.fixture(scope="module")
def services(template_json) -> dict[str, str]:
    """Every function the stack deploys: service name -> logical id."""
    found = {}
    for key, function in properties_of_type(template_json, "AWS::Lambda::Function").items():
        service = function.get("Environment", {}).get("Variables", {}).get("POWERTOOLS_SERVICE_NAME")
        if service:
            found[service] = key
    return found


@pytest.fixture(scope="module")
def flow_names(template_json) -> list[str]:
    return [flow["Name"] for flow in properties_of_type(template_json, "AWS::Connect::ContactFlow").values()]


def test_the_stack_monitors_every_function_and_flow_it_deploys(stack, services, flow_names):
    # Not vacuous: the IVR deploys these six functions Connect invokes, the hours overrides, the operators'
    # page API and at least its main flow.
    assert set(services) == {"closure_check", "order_status", "customer_lookup", "interaction_log", "sms_deflection",
                             "caller_verification", "hours_overrides", "messages_api"}
    assert flow_names
    monitoring = stack.monitoring
    assert set(monitoring.functions) | {"hours_overrides"} == set(services)
    assert monitoring.hours_overrides is stack.hours_overrides
    assert sorted(flow.name for flow in monitoring.flows.values()) == sorted(flow_names)
    dips_present = {"order_status", "customer_lookup", "interaction_log"} & set(services)
    assert dips_present <= set(monitoring.backend_services)


def test_every_alarm_notifies_the_topic_ignores_missing_data_and_says_what_to_check(template_json, topic_ref, services, flow_names):
    found = alarms(template_json)
    # At least: 3 instance alarms, 3 per function, 2 per flow.
    assert len(found) >= len(INSTANCE_ALARMS) + 3 * len(services) + 2 * len(flow_names)
    for key, alarm in found.items():
        assert alarm["AlarmActions"] == [topic_ref], key
        assert alarm["TreatMissingData"] == "notBreaching", key
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold", key
        assert "Check first:" in alarm["AlarmDescription"], key
        assert alarm["AlarmName"].startswith("connect-ivr-dev-"), key


def test_each_function_has_error_throttle_and_near_budget_duration_alarms(template_json, services, config):
    for service, logical_id in services.items():
        function = {"FunctionName": {"Ref": logical_id}}
        errors = alarms_watching(template_json, "AWS/Lambda", "Errors", **function)
        throttles = alarms_watching(template_json, "AWS/Lambda", "Throttles", **function)
        duration = alarms_watching(template_json, "AWS/Lambda", "Duration", **function)
        assert len(errors) == len(throttles) == len(duration) == 1, service
        assert [a["Threshold"] for a in errors.values()] == [config.monitoring.thresholds.dip_errors]
        (alarm,) = duration.values()
        assert watched(alarm)[0].stat == "p99"
        # A function off the callers' path has no budget: its timeout stands in for it.
        budget = config.dip(service).budget_ms if service in config.dips else HOURS_OVERRIDES_TIMEOUT_SECONDS * 1000
        assert alarm["Threshold"] == budget * config.monitoring.thresholds.dip_duration_percent_of_budget // 100
        assert alarm["Threshold"] < budget


def test_failures_a_function_counts_itself_are_alarmed(template_json, services):
    for service in services:
        for metric, _, _ in REPORTED_FAILURES.get(service, ()):
            found = alarms_watching(template_json, NAMESPACE, metric, service=service)
            assert len(found) == 1, (service, metric)


def test_backend_alarms_read_the_dips_own_metrics_with_service_as_only_dimension(template_json, stack, config):
    t = config.monitoring.thresholds
    for service in stack.monitoring.backend_services:
        dimension = {"service": service}
        rate = alarms_watching(template_json, NAMESPACE, MetricName.BACKEND_CALLS, **dimension)
        assert len(rate) == 1, service
        (alarm,) = rate.values()
        assert f"calls >= {t.backend_min_calls}" in expression(alarm)
        assert {w.name for w in watched(alarm)} == {MetricName.BACKEND_CALLS, *BACKEND_ERROR_KINDS}
        assert all(w.dimensions == dimension and w.namespace == NAMESPACE for w in watched(alarm))
        assert alarm["Threshold"] == t.backend_error_rate_percent
        for metric, threshold in (
            (MetricName.BACKEND_ERROR_TIMEOUT, t.backend_timeouts),
            (MetricName.BACKEND_ERROR_4XX, t.backend_4xx),
            (MetricName.CIRCUIT_OPEN, t.circuit_opened),
            (MetricName.BACKEND_API_KEY_UNAVAILABLE, t.api_key_unavailable),
        ):
            single = {k: a for k, a in alarms_watching(template_json, NAMESPACE, metric, **dimension).items() if len(watched(a)) == 1}
            assert [a["Threshold"] for a in single.values()] == [threshold], (service, metric)


def test_a_backend_refusing_our_key_or_throttling_us_pages_whatever_the_call_volume(template_json, stack, config):
    # A wrong API key makes every call a 401 (not retried, and the circuit stays closed: the backend
    # answered); sustained throttling is a run of 429s. The error-rate alarm counts both but only in
    # periods with backend_min_calls+ attempts, so a quiet hour with a bad key would page nobody.
    (composite,) = properties_of_type(template_json, "AWS::CloudWatch::CompositeAlarm").values()
    rule = str(composite["AlarmRule"])
    secret = config.backend.api_key_secret_name
    assert stack.monitoring.backend_services
    for service in stack.monitoring.backend_services:
        found = {k: a for k, a in alarms_watching(template_json, NAMESPACE, MetricName.BACKEND_ERROR_4XX, service=service).items()
                 if len(watched(a)) == 1}
        assert len(found) == 1, service
        ((key, alarm),) = found.items()
        assert watched(alarm)[0].stat == "Sum"
        assert alarm["Threshold"] == config.monitoring.thresholds.backend_4xx
        assert not expression(alarm)  # a plain count: no minimum number of calls
        assert f"Check first: the API key in Secrets Manager {secret}, and the backend's rate limits" in alarm["AlarmDescription"]
        assert key in rule  # every caller loses self-service: IVR degraded


def test_messages_table_errors_and_throttles_are_alarmed(template_json, stack):
    messages = getattr(stack, "messages", None)
    if messages is None:  # the table is not in this stack yet: nothing may claim to watch one
        assert not any(w.namespace == "AWS/DynamoDB" for a in alarms(template_json).values() for w in watched(a))
        return
    table = stack.resolve(messages.table.table_name)
    names = {w.name for a in alarms(template_json).values() for w in watched(a) if w.dimensions.get("TableName") == table}
    assert {"SystemErrors", "ReadThrottleEvents", "WriteThrottleEvents"} <= names


def test_each_deployed_flow_has_error_and_fatal_error_alarms_with_connect_dimensions(template_json, flow_names, config):
    instance_id = config.connect_instance.instance_id
    for flow in flow_names:
        for metric, threshold in (("ContactFlowErrors", config.monitoring.thresholds.flow_errors), ("ContactFlowFatalErrors", 0)):
            found = alarms_watching(template_json, CONNECT_NAMESPACE, metric, ContactFlowName=flow)
            assert len(found) == 1, (flow, metric)
            (alarm,) = found.values()
            assert watched(alarm)[0].dimensions == {"InstanceId": instance_id, "MetricGroup": "ContactFlow", "ContactFlowName": flow}
            assert watched(alarm)[0].stat == "Sum"
            assert alarm["Threshold"] == threshold


@pytest.mark.parametrize("metric", INSTANCE_ALARMS)
def test_instance_call_throttling_alarms(template_json, config, metric):
    found = alarms_watching(template_json, CONNECT_NAMESPACE, metric)
    assert len(found) == 1
    (alarm,) = found.values()
    assert watched(alarm)[0].dimensions == {"InstanceId": config.connect_instance.instance_id, "MetricGroup": "VoiceCalls"}
    assert alarm["Threshold"] == 0


def test_ivr_degraded_composite_covers_the_alarms_that_mean_callers_fail_now(template_json, topic_ref, services, flow_names):
    (composite,) = properties_of_type(template_json, "AWS::CloudWatch::CompositeAlarm").values()
    assert composite["AlarmActions"] == [topic_ref]
    assert composite["AlarmName"] == "connect-ivr-dev-ivr-degraded"
    rule = str(composite["AlarmRule"])
    critical = [*(alarms_watching(template_json, CONNECT_NAMESPACE, m) for m in INSTANCE_ALARMS)]
    critical += [alarms_watching(template_json, CONNECT_NAMESPACE, "ContactFlowFatalErrors", ContactFlowName=f) for f in flow_names]
    # The functions Connect invokes; the hours overrides' errors are retried off the callers' path, and the
    # operators' page API failing is no caller outage: their alarms notify, outside the composite.
    off_the_call = {"hours_overrides", "messages_api"}
    critical += [alarms_watching(template_json, "AWS/Lambda", "Errors", FunctionName={"Ref": key})
                 for service, key in services.items() if service not in off_the_call]
    for found in critical:
        (key,) = found
        assert key in rule
    for service in off_the_call:
        (errors,) = alarms_watching(template_json, "AWS/Lambda", "Errors", FunctionName={"Ref": services[service]})
        assert errors not in rule, service
    # Warnings stay out of it: a flow's error branch running now and then is not an outage.
    for key in alarms_watching(template_json, CONNECT_NAMESPACE, "ContactFlowErrors"):
        assert key not in rule


def test_alarm_topic_is_encrypted_and_only_cloudwatch_publishes_over_tls(template_json, topic_ref):
    topic = properties_of_type(template_json, "AWS::SNS::Topic")[topic_ref["Ref"]]
    assert "KmsMasterKeyId" in topic
    (policy,) = [p for p in properties_of_type(template_json, "AWS::SNS::TopicPolicy").values() if topic_ref in p["Topics"]]
    statements = policy["PolicyDocument"]["Statement"]
    publish = [s for s in statements if s["Effect"] == "Allow" and s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert publish and publish[0]["Action"] == "sns:Publish"
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements)
    assert properties_of_type(template_json, "AWS::SNS::Subscription") == {}  # cdk.json lists no emails


def test_dashboard_shows_dips_backend_closure_check_connect_and_alarm_states(template_json, services, stack):
    widgets = dashboard_widgets(template_json)
    titles = [w.get("properties", {}).get("title", "") for w in widgets]
    for service in stack.monitoring.functions:
        assert f"{service}: calls and results" in titles
        assert f"{service}: latency (ms)" in titles
    assert "hours_overrides: failed and deferred" in titles
    for service in stack.monitoring.backend_services:
        assert f"{service}: backend calls and errors by kind" in titles
    if "closure_check" in services:
        assert "closure_check answers" in titles
    assert {"Flow errors", "Calls and throttles", "Alarms"} <= set(titles)
    alarm_widget = widgets[1]  # right under the title: what is red now
    assert alarm_widget["type"] == "alarm" and alarm_widget["properties"]["title"] == "Alarms"
    assert len(alarm_widget["properties"]["alarms"]) == len(alarms(template_json)) + 1  # every alarm and the composite


def test_saved_queries_read_the_connect_flow_logs_and_every_function_log_group(template_json, config, services):
    queries = {q["Name"].split("/", 1)[1]: q for q in properties_of_type(template_json, "AWS::Logs::QueryDefinition").values()}
    flow_log_group = [config.monitoring.connect_flow_log_group]
    assert flow_log_group == ["/aws/connect/connect-ivr-dev"]
    for name, must_mention in (
        ("callers-abandon", ["latest(ContactFlowModuleType)", "by ContactId", "by flow"]),
        ("time-in-ivr", ["max(@timestamp) - min(@timestamp)", "by ContactId"]),
        ("menu-options", ['ContactFlowModuleType = "GetUserInput"', "Results"]),
        ("dip-outcomes-seen-by-flows", ["ExternalResults.result"]),
        ("flow-errors", ["ContactId"]),
    ):
        assert queries[name]["LogGroupNames"] == flow_log_group, name
        assert all(text in queries[name]["QueryString"] for text in must_mention), name
    if services:
        for name in ("dip-outcomes", "dip-errors"):
            assert len(queries[name]["LogGroupNames"]) == len(services)


def test_bench_synth_finds_alarms_and_panels_for_every_function_and_flow(template_json):
    """`make bench` reports this per function and flow (benchmarks/bench_synth.py); each must have some."""

    counted = figures(template_json)
    assert {subject.split()[0] for subject in counted} == {"function", "flow"}
    assert all(alarms and panels for alarms, panels in counted.values()), counted
