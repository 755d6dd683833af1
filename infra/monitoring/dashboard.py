"""The one dashboard an on-call engineer opens (OPS-2), read top to bottom.

Alarm states first, then dip calls, results and latency, backend errors by kind, closure-check
answers, the hours overrides' failures, Connect flow errors, calls and throttles, then the library's standard Lambda and DynamoDB
views (their monitorings were created without widgets so that they come last).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_cloudwatch as cw

from infra.monitoring.metrics import BACKEND_ERROR_KINDS, VOICE_CALLS
from lambdas.common.observability import RESULTS_BY_SERVICE, MetricName, result_metric_name

if TYPE_CHECKING:
    from infra.monitoring import IvrMonitoring
    from infra.monitoring.alarms import IvrAlarms


def build_dashboard(monitoring: IvrMonitoring, alarms: IvrAlarms) -> None:
    """Lays out the dashboard of `monitoring`'s facade: `alarms` must all exist already."""
    facade = monitoring.facade
    facade.add_large_header(f"Connect IVR ({monitoring.config.environment})")
    facade.add_widget(cw.AlarmStatusWidget(title="Alarms", alarms=[alarms.degraded, *alarms.all], width=24, height=8))
    _data_dips(monitoring)
    _backend(monitoring)
    _closure_check(monitoring)
    _hours_overrides(monitoring)
    _connect(monitoring)
    facade.add_medium_header("Lambda and DynamoDB details")
    for library_monitoring in facade.created_monitorings():
        facade.add_segment(library_monitoring)


def _data_dips(monitoring: IvrMonitoring) -> None:
    facade, metrics = monitoring.facade, monitoring.metrics
    facade.add_medium_header("Data dips: calls, results, latency")
    for service in monitoring.functions:
        results = RESULTS_BY_SERVICE.get(service, ())
        facade.add_widget(cw.GraphWidget(
            title=f"{service}: calls and results",
            left=[metrics.emf(MetricName.INVOCATIONS, service, label="calls")],
            right=[metrics.emf(result_metric_name(result), service, label=result) for result in results],
            stacked=False, width=8, height=6,
        ))
        facade.add_widget(cw.GraphWidget(
            title=f"{service}: latency (ms)",
            left=[metrics.emf(MetricName.LATENCY, service, statistic=s, label=s) for s in ("p50", "p99")],
            left_annotations=[cw.HorizontalAnnotation(value=monitoring.config.dip(service).budget_ms, label="budget")],
            width=8, height=6,
        ))


def _backend(monitoring: IvrMonitoring) -> None:
    if not monitoring.backend_services:
        return
    facade, metrics = monitoring.facade, monitoring.metrics
    facade.add_medium_header("Backend API: errors by kind")
    for service in monitoring.backend_services:
        facade.add_widget(cw.GraphWidget(
            title=f"{service}: backend calls and errors by kind",
            left=[metrics.emf(kind, service) for kind in BACKEND_ERROR_KINDS],
            right=[metrics.emf(MetricName.BACKEND_CALLS, service, label="calls"), metrics.emf(MetricName.CIRCUIT_OPEN, service)],
            stacked=True, width=12, height=6,
        ))
        facade.add_widget(cw.GraphWidget(
            title=f"{service}: backend latency per attempt (ms)",
            left=[metrics.emf(MetricName.BACKEND_LATENCY, service, statistic=s, label=s) for s in ("p50", "p99")],
            width=12, height=6,
        ))


def _closure_check(monitoring: IvrMonitoring) -> None:
    if "closure_check" not in monitoring.functions:
        return
    facade, metrics = monitoring.facade, monitoring.metrics
    facade.add_medium_header("Closure check: what callers were told")
    facade.add_widget(cw.GraphWidget(
        title="closure_check answers",
        left=[metrics.emf(result_metric_name(r), "closure_check", label=r) for r in RESULTS_BY_SERVICE["closure_check"]],
        right=[metrics.emf(MetricName.MESSAGES_SERVED_STALE, "closure_check"), metrics.emf(MetricName.MESSAGES_TABLE_ERROR, "closure_check")],
        stacked=True, width=24, height=6,
    ))


def _hours_overrides(monitoring: IvrMonitoring) -> None:
    hours_overrides = monitoring.hours_overrides
    if hours_overrides is None:
        return
    facade, metrics = monitoring.facade, monitoring.metrics
    facade.add_medium_header("Hours of operation: in step with the CLOSE messages")
    facade.add_widget(cw.GraphWidget(
        title="hours_overrides: failed and deferred",
        left=[hours_overrides.failures.metric_approximate_number_of_messages_visible(period=metrics.period, statistic="Maximum",
                                                                                    label="batches in the failure queue"),
              metrics.emf(MetricName.HOURS_OVERRIDES_FAILED, "hours_overrides", label="hours refused")],
        right=[metrics.emf(MetricName.HOURS_OVERRIDES_DEFERRED, "hours_overrides", statistic="Maximum", label="overrides deferred (limit 50)")],
        width=24, height=6,
    ))


def _connect(monitoring: IvrMonitoring) -> None:
    facade, metrics = monitoring.facade, monitoring.metrics
    facade.add_medium_header("Amazon Connect")
    facade.add_widget(cw.GraphWidget(
        title="Flow errors",
        left=[metrics.flow_metric(name, flow) for flow in monitoring.flows.values() for name in ("ContactFlowErrors", "ContactFlowFatalErrors")]
        or [metrics.connect_metric("ContactFlowErrors", {"MetricGroup": "ContactFlow"})],
        width=12, height=6,
    ))
    facade.add_widget(cw.GraphWidget(
        title="Calls and throttles",
        left=[metrics.connect_metric("CallsPerInterval", VOICE_CALLS)],
        right=[metrics.connect_metric(name, VOICE_CALLS) for name in ("ThrottledCalls", "CallsBreachingConcurrencyQuota", "MisconfiguredPhoneNumbers")],
        width=12, height=6,
    ))
