"""The CloudWatch metrics the alarms and the dashboard read: the functions' own and Amazon Connect's.

The functions' metrics are EMF, in namespace NAMESPACE with the one dimension `service`; their
names come from lambdas.common.observability, the catalog the functions emit from, so alarms and
code cannot drift apart. Connect's are written by hand: the library does not model their per-flow
dimensions.
"""
from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_connect as connect

from lambdas.common.observability import NAMESPACE, SERVICE_DIMENSION, MetricName

CONNECT_NAMESPACE = "AWS/Connect"
# The dimensions of Connect's instance-wide call metrics (throttled, over quota, misconfigured number).
VOICE_CALLS = {"MetricGroup": "VoiceCalls"}

# Failed backend attempts, by kind (lambdas.common.http counts each attempt in BackendCalls). A 404 is
# an answer (NOT_FOUND) and counts nowhere; 4xx here is 401/403 (API key) or 429 (throttled), or a
# request the backend rejects (400, 422). The error rate counts them; a wrong key also has its own alarm.
BACKEND_ERROR_KINDS = (
    MetricName.BACKEND_ERROR_TIMEOUT,
    MetricName.BACKEND_ERROR_CONNECTION,
    MetricName.BACKEND_ERROR_4XX,
    MetricName.BACKEND_ERROR_5XX,
    MetricName.BACKEND_ERROR_MALFORMED,
)


class IvrMetrics:
    """Makes the metrics over one period (the alarms' `period_minutes`) for one Connect instance."""

    def __init__(self, *, period: Duration, instance_id: str) -> None:
        self.period = period
        self.instance_id = instance_id

    def emf(self, name: str, service: str, *, statistic: str = "Sum", label: str | None = None) -> cw.Metric:
        """A metric a function emits: `name` from the catalog (MetricName or result_metric_name)."""
        return cw.Metric(
            namespace=NAMESPACE,
            metric_name=str(name),
            dimensions_map={SERVICE_DIMENSION: service},
            statistic=statistic,
            period=self.period,
            label=label or str(name),
        )

    def connect_metric(self, name: str, dimensions: Mapping[str, str], label: str | None = None) -> cw.Metric:
        """A metric Amazon Connect publishes for the instance, narrowed by `dimensions`."""
        return cw.Metric(
            namespace=CONNECT_NAMESPACE,
            metric_name=name,
            dimensions_map={"InstanceId": self.instance_id, **dimensions},
            statistic="Sum",
            period=self.period,
            label=label or name,
        )

    def flow_metric(self, name: str, flow: connect.CfnContactFlow) -> cw.Metric:
        """A metric Amazon Connect publishes per contact flow (ContactFlowErrors, ContactFlowFatalErrors)."""
        return self.connect_metric(name, {"MetricGroup": "ContactFlow", "ContactFlowName": flow.name}, label=f"{flow.name} {name}")
