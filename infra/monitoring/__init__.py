"""IvrMonitoring: what an on-call engineer watches (OPS-1..3), composed from its three parts.

- `alarms`: alarms to one KMS-encrypted SNS topic (emails from `alarm_emails`), and the composite
  "IVR degraded" over the ones that mean callers suffer now.
- `dashboard`: one dashboard, alarm states first.
- `queries`: saved Logs Insights queries over the Connect flow logs and the functions' logs.

`metrics` makes the CloudWatch metrics the first two read. Standard Lambda and DynamoDB alarms and
views come from cdk-monitoring-constructs, through one MonitoringFacade shared by alarms and
dashboard. Every construct the parts create is a direct child of IvrMonitoring.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from aws_cdk import Duration
from aws_cdk import aws_connect as connect
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from cdk_monitoring_constructs import (
    AlarmFactoryDefaults,
    DefaultDashboardFactory,
    MetricFactoryDefaults,
    MonitoringFacade,
    SnsAlarmActionStrategy,
)
from constructs import Construct

from configuration.model import IvrConfig
from infra.hours_overrides import HoursOverrides
from infra.lambda_function import IvrFunction
from infra.monitoring.alarms import IvrAlarms, alarm_topic
from infra.monitoring.dashboard import build_dashboard
from infra.monitoring.metrics import IvrMetrics
from infra.monitoring.queries import save_queries


class IvrMonitoring(Construct):
    """Alarms, dashboard and saved queries over what the stack deployed.

    `functions`: every IvrFunction with a DipConfig budget, by folder name; `backend_services`: the
    folder names that call the customer's backend; `operator_services`: the folder names that serve
    operators, not callers (their alarms notify, but a failure there is no caller outage, so they
    stay out of "IVR degraded"); `table`: the messages table; `flows`: the deployed contact flows by
    file stem; `hours_overrides`: the function that keeps the hours of operation in step with the
    messages, off the callers' path.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: IvrConfig,
        key: kms.IKey,
        functions: Mapping[str, IvrFunction],
        backend_services: Iterable[str] = (),
        operator_services: Iterable[str] = (),
        table: dynamodb.ITable | None = None,
        flows: Mapping[str, connect.CfnContactFlow] | None = None,
        hours_overrides: HoursOverrides | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.thresholds = config.monitoring.thresholds
        self.prefix = f"connect-ivr-{config.environment}"
        self.functions = dict(functions)
        self.backend_services = [name for name in backend_services if name in self.functions]
        self.operator_services = [name for name in operator_services if name in self.functions]
        self.flows = dict(flows or {})
        self.hours_overrides = hours_overrides
        self.metrics = IvrMetrics(period=Duration.minutes(self.thresholds.period_minutes), instance_id=config.connect_instance.instance_id)

        self.topic = alarm_topic(self, config, key, alarm_name_prefix=f"{self.prefix}-")
        self.facade = MonitoringFacade(
            self,
            "Facade",
            alarm_factory_defaults=AlarmFactoryDefaults(
                actions_enabled=True,
                alarm_name_prefix=self.prefix,
                action=SnsAlarmActionStrategy(on_alarm_topic=self.topic),
                datapoints_to_alarm=1,
                evaluation_periods=1,
            ),
            metric_factory_defaults=MetricFactoryDefaults(period=self.metrics.period),
            dashboard_factory=DefaultDashboardFactory(self, "Dashboards", dashboard_name_prefix=self.prefix),
        )
        # Alarms first, so the dashboard can open with their states.
        self.alarms = IvrAlarms(self, table)
        build_dashboard(self, self.alarms)
        self.queries = save_queries(self)
