"""IvrMonitoring: what an on-call engineer watches (OPS-1..3).

- Alarms to one KMS-encrypted SNS topic (emails from `alarm_emails`): every function's Lambda
  errors, throttles and p99 duration near its budget; the backend's error rate, timeouts, refusals
  (4xx: our API key refused, or throttled), open circuit and unreadable API key from the dips' own
  metrics; the messages table's errors and
  throttles; Amazon Connect's flow errors per deployed flow and the instance's call throttling.
  Every alarm treats missing data as not breaching, and its description says what it means and
  what to check first. "IVR degraded" is a composite over the alarms that mean callers suffer now.
- One dashboard: alarm states first, then dip calls, results and latency, backend errors by kind,
  closure-check answers, Connect flow errors, calls and throttles, then the library's standard
  Lambda and DynamoDB views.
- Saved Logs Insights queries over the Connect flow logs and the functions' logs.

Standard Lambda and DynamoDB alarms come from cdk-monitoring-constructs; metric math over our own
EMF metrics and the Connect metrics (per-flow dimensions the library does not model) are written
with aws_cloudwatch. Metric names come from lambdas.common.observability, the catalog the
functions emit from, so alarms and code cannot drift apart.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_connect as connect
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from cdk_monitoring_constructs import (
    AlarmFactoryDefaults,
    DefaultDashboardFactory,
    ErrorCountThreshold,
    LatencyThreshold,
    MetricFactoryDefaults,
    MonitoringFacade,
    SnsAlarmActionStrategy,
    ThrottledEventsThreshold,
)
from constructs import Construct

from configuration.model import IvrConfig
from infra.lambda_function import IvrFunction
from lambdas.common.observability import NAMESPACE, RESULTS_BY_SERVICE, SERVICE_DIMENSION, MetricName, result_metric_name

CONNECT_NAMESPACE = "AWS/Connect"
CRITICAL = "critical"  # custom tag of the library's alarms that feed "IVR degraded"

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
# Failures a function counts itself: (metric, what it means, what to check first), per function.
REPORTED_FAILURES = {
    "closure_check": (
        (MetricName.MESSAGES_TABLE_ERROR, "closure_check could not read the messages table and answered from its last known answer "
         "(or 'no message'), so a new emergency message may not play", "the messages table's alarms, then the function's role"),
    ),
    "sms_deflection": (
        (MetricName.DEFLECTION_SEND_ERROR, "sms_deflection could not send the SMS or push that callers were offered",
         "the function's log group for the provider's error (End User Messaging / SNS spend limit, origination identity)"),
        (MetricName.DEFLECTION_STORE_ERROR, "sms_deflection could not read or write its DynamoDB record (idempotency, rate limit)",
         "the function's log group, then its table's throttles"),
    ),
}
# The library's monitorings are created without widgets, then added below the IVR overview.
_WIDGETS_LATER = {"add_to_detail_dashboard": False, "add_to_summary_dashboard": False, "add_to_alarm_dashboard": False}


class IvrMonitoring(Construct):
    """Alarms, dashboard and saved queries over what the stack deployed.

    `functions`: every IvrFunction by folder name (each has a DipConfig budget); `backend_services`:
    the folder names that call the customer's backend; `table`: the messages table; `flows`: the
    deployed contact flows by file stem.
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
        table: dynamodb.ITable | None = None,
        flows: Mapping[str, connect.CfnContactFlow] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.thresholds = config.monitoring.thresholds
        self.period = Duration.minutes(self.thresholds.period_minutes)
        self.prefix = f"connect-ivr-{config.environment}"
        self.functions = dict(functions)
        self.backend_services = [name for name in backend_services if name in self.functions]
        self.flows = dict(flows or {})
        self.alarms: list[cw.Alarm] = []  # written here (the library's are in self.facade.created_alarms())
        self._critical: list[cw.IAlarm] = []

        self.topic = self._topic(key)
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
            metric_factory_defaults=MetricFactoryDefaults(period=self.period),
            dashboard_factory=DefaultDashboardFactory(self, "Dashboards", dashboard_name_prefix=self.prefix),
        )
        # Alarms first (the library's without their widgets), so the dashboard can open with their states.
        self._function_alarms()
        if table is not None:
            self._table_alarms(table)
        self._reported_failure_alarms()
        self._backend_alarms()
        self._connect_alarms()
        self.degraded = self._degraded()
        self.facade.add_large_header(f"Connect IVR ({config.environment})")
        self.facade.add_widget(cw.AlarmStatusWidget(title="Alarms", alarms=[self.degraded, *self.all_alarms], width=24, height=8))
        self._overview_widgets()
        self.facade.add_medium_header("Lambda and DynamoDB details")
        for monitoring in self.facade.created_monitorings():
            self.facade.add_segment(monitoring)
        self.queries = self._queries()

    @property
    def all_alarms(self) -> list[cw.AlarmBase]:
        """Every metric alarm: the library's and the ones written here."""
        return [created.alarm for created in self.facade.created_alarms()] + list(self.alarms)

    # --- Topic ------------------------------------------------------------------------------

    def _topic(self, key: kms.IKey) -> sns.Topic:
        topic = sns.Topic(self, "AlarmTopic", display_name=f"Connect IVR {self.config.environment} alarms", master_key=key, enforce_ssl=True)
        stack = Stack.of(self)
        cloudwatch = iam.ServicePrincipal("cloudwatch.amazonaws.com")
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsPublish",
                principals=[cloudwatch],
                actions=["sns:Publish"],
                resources=[topic.topic_arn],
                conditions={"ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:cloudwatch:{stack.region}:{stack.account}:alarm:*"}},
            )
        )
        # CloudWatch encrypts what it publishes with the topic's key.
        key.grant(cloudwatch, "kms:Decrypt", "kms:GenerateDataKey*")
        for email in self.config.monitoring.alarm_emails:
            topic.add_subscription(subscriptions.EmailSubscription(email))
        return topic

    # --- Functions (the library's Lambda monitoring) -------------------------------------------

    def _function_alarms(self) -> None:
        t = self.thresholds
        for name, function in self.functions.items():
            dip = self.config.dip(name)
            near_budget_ms = dip.budget_ms * t.dip_duration_percent_of_budget // 100
            logs_hint = f"{name}'s log group (saved query '{self.prefix}/dip-errors')"
            self.facade.monitor_lambda_function(
                lambda_function=function.function,
                is_iterator=False,
                **_WIDGETS_LATER,
                alarm_friendly_name=name,
                human_readable_name=f"{name} (budget {dip.budget_ms} ms)",
                add_fault_count_alarm={
                    "Errors": ErrorCountThreshold(
                        max_error_count=t.dip_errors,
                        treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING,
                        custom_tags=[CRITICAL],
                        alarm_description_override=(
                            f"{name} raised errors (Lambda Errors > {t.dip_errors} in {t.period_minutes} min). Handlers return expected "
                            f"failures as results, so this is a bug, a crash or a Lambda timeout: callers took the flow's error branch "
                            f"(or Lambda retried an asynchronous event). "
                            f"Check first: ERROR lines in {logs_hint}, then the last deploy."
                        ),
                    )
                },
                add_throttles_count_alarm={
                    "Throttles": ErrorCountThreshold(
                        max_error_count=t.dip_throttles,
                        treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING,
                        custom_tags=[CRITICAL],
                        alarm_description_override=(
                            f"Lambda throttled {name} (Throttles > {t.dip_throttles} in {t.period_minutes} min): those callers took the "
                            f"flow's error branch. Check first: the account's concurrent executions, then dips.{name}.reserved_concurrency."
                        ),
                    )
                },
                add_latency_p99_alarm={
                    "NearBudget": LatencyThreshold(
                        max_latency=Duration.millis(near_budget_ms),
                        treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING,
                        alarm_description_override=(
                            f"{name} p99 duration is above {near_budget_ms} ms, {t.dip_duration_percent_of_budget}% of its "
                            f"{dip.budget_ms} ms budget; Connect gives up at {dip.invocation_time_limit_seconds} s and callers hear the "
                            f"failure path. Check first: BackendLatency and backend errors on the dashboard, then cold starts "
                            f"(Init Duration in {logs_hint})."
                        ),
                    )
                },
            )

    # --- Our own metrics (EMF, namespace NAMESPACE, dimension service) --------------------------

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

    def _reported_failure_alarms(self) -> None:
        t = self.thresholds
        for service in self.functions:
            for metric, meaning, check in REPORTED_FAILURES.get(service, ()):
                self._alarm(
                    f"{service}{metric}",
                    name=f"{service}-{metric}",
                    metric=self.emf(metric, service),
                    threshold=t.function_reported_errors,
                    description=f"{meaning} ({metric} > {t.function_reported_errors} in {t.period_minutes} min). Check first: {check}.",
                )

    def _backend_alarms(self) -> None:
        t = self.thresholds
        for service in self.backend_services:
            errors = {f"e{i}": self.emf(kind, service) for i, kind in enumerate(BACKEND_ERROR_KINDS)}
            rate = cw.MathExpression(
                expression=f"IF(calls >= {t.backend_min_calls}, 100 * ({' + '.join(f'FILL({m}, 0)' for m in errors)}) / calls, 0)",
                using_metrics={"calls": self.emf(MetricName.BACKEND_CALLS, service), **errors},
                label=f"{service} backend error rate (%)",
                period=self.period,
            )
            self._alarm(
                f"{service}BackendErrorRate",
                name=f"{service}-backend-error-rate",
                metric=rate,
                threshold=t.backend_error_rate_percent,
                critical=True,
                description=(
                    f"More than {t.backend_error_rate_percent}% of {service}'s backend attempts failed (timeouts, connection errors, 4xx "
                    f"other than 404, 5xx, malformed bodies; only periods with {t.backend_min_calls}+ attempts count): callers hear 'that did not work' and go "
                    f"to an agent. Check first: the backend's own health and the 'Backend errors by kind' graph."
                ),
            )
            self._alarm(
                f"{service}Backend4xx",
                name=f"{service}-backend-4xx",
                metric=self.emf(MetricName.BACKEND_ERROR_4XX, service),
                threshold=t.backend_4xx,
                critical=True,  # a refused key fails every caller's self-service
                description=(
                    f"The backend refused {service}'s requests more than {t.backend_4xx} times in {t.period_minutes} min with a 4xx "
                    f"other than 404: 401/403 means our API key is wrong, expired or revoked (every call fails), 429 that it throttles "
                    f"us. Callers lose self-service and go to an agent. Counted whatever the call volume (the error-rate alarm needs "
                    f"{t.backend_min_calls}+ attempts). Check first: the API key in Secrets Manager "
                    f"{self.config.backend.api_key_secret_name}, and the backend's rate limits; the status of the 'backend attempt "
                    f"failed' warnings in {service}'s log group says which."
                ),
            )
            self._alarm(
                f"{service}BackendTimeouts",
                name=f"{service}-backend-timeouts",
                metric=self.emf(MetricName.BACKEND_ERROR_TIMEOUT, service),
                threshold=t.backend_timeouts,
                description=(
                    f"{service} saw more than {t.backend_timeouts} backend timeouts in {t.period_minutes} min: the backend answers "
                    f"slower than the dip's budget allows. Check first: BackendLatency on the dashboard, then the backend's latency."
                ),
            )
            self._alarm(
                f"{service}CircuitOpen",
                name=f"{service}-circuit-open",
                metric=self.emf(MetricName.CIRCUIT_OPEN, service),
                threshold=t.circuit_opened,
                critical=True,
                description=(
                    f"{service}'s circuit breaker is open: it stopped calling the backend after repeated failures, and callers get the "
                    f"failure path at once. Check first: whether the backend is down (backend errors by kind), then its status page."
                ),
            )
            self._alarm(
                f"{service}ApiKeyUnavailable",
                name=f"{service}-api-key-unavailable",
                metric=self.emf(MetricName.BACKEND_API_KEY_UNAVAILABLE, service),
                threshold=t.api_key_unavailable,
                critical=True,
                description=(
                    f"{service} could not read the backend API key from Secrets Manager, so every lookup fails. Check first: the secret "
                    f"'{self.config.backend.api_key_secret_name}' exists and the function's role may read it."
                ),
            )

    def _table_alarms(self, table: dynamodb.ITable) -> None:
        t = self.thresholds
        stale = "the closure check answers from its last known answer, or 'no message'"
        self.facade.monitor_dynamo_table(
            table=table,
            **_WIDGETS_LATER,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            alarm_friendly_name="messages-table",
            human_readable_name="Holiday and emergency messages table",
            add_system_error_count_alarm={
                "SystemErrors": ErrorCountThreshold(
                    max_error_count=t.messages_table_errors,
                    treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING,
                    custom_tags=[CRITICAL],
                    alarm_description_override=(
                        f"DynamoDB returned system errors (HTTP 500) on the messages table: {stale}, so a new emergency message may "
                        f"not play. Check first: the AWS Health dashboard for DynamoDB in {Stack.of(self).region}."
                    ),
                )
            },
            add_read_throttled_events_count_alarm={
                "ReadThrottles": ThrottledEventsThreshold(
                    max_throttled_events_threshold=t.messages_table_throttles,
                    treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING,
                    alarm_description_override=(
                        f"Reads of the messages table were throttled: {stale}. Check first: closure_check invocations (a burst of "
                        f"calls, or a cache TTL too short: messages_cache_ttl_seconds)."
                    ),
                )
            },
            add_write_throttled_events_count_alarm={
                "WriteThrottles": ThrottledEventsThreshold(
                    max_throttled_events_threshold=t.messages_table_throttles,
                    treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING,
                    alarm_description_override=(
                        "Writes to the messages table were throttled: an operator's edit may have failed. "
                        "Check first: who was applying changes (the `ivr messages` command, a bulk apply)."
                    ),
                )
            },
        )

    # --- Amazon Connect (AWS/Connect, written by hand: per-flow dimensions) ----------------------

    def connect_metric(self, name: str, dimensions: Mapping[str, str], label: str | None = None) -> cw.Metric:
        return cw.Metric(
            namespace=CONNECT_NAMESPACE,
            metric_name=name,
            dimensions_map={"InstanceId": self.config.connect_instance.instance_id, **dimensions},
            statistic="Sum",
            period=self.period,
            label=label or name,
        )

    def flow_metric(self, name: str, flow: connect.CfnContactFlow) -> cw.Metric:
        return self.connect_metric(name, {"MetricGroup": "ContactFlow", "ContactFlowName": flow.name}, label=f"{flow.name} {name}")

    def _connect_alarms(self) -> None:
        t = self.thresholds
        for stem, flow in self.flows.items():
            self._alarm(
                f"{stem}FlowErrors",
                name=f"flow-{stem}-errors",
                metric=self.flow_metric("ContactFlowErrors", flow),
                threshold=t.flow_errors,
                description=(
                    f"Flow '{flow.name}' ran a block's error branch more than {t.flow_errors} times in {t.period_minutes} min (a dip "
                    f"failed or timed out, a prompt or queue is missing). Check first: saved query '{self.prefix}/flow-errors' "
                    f"for the block, then the dips' alarms."
                ),
            )
            self._alarm(
                f"{stem}FlowFatalErrors",
                name=f"flow-{stem}-fatal-errors",
                metric=self.flow_metric("ContactFlowFatalErrors", flow),
                threshold=t.flow_fatal_errors,
                critical=True,
                description=(
                    f"Flow '{flow.name}' failed with a system error and Connect dropped the caller. Check first: the flow logs of those "
                    f"contacts (saved query '{self.prefix}/flow-errors'), then the flow's last published version."
                ),
            )
        voice = {"MetricGroup": "VoiceCalls"}
        instance_alarms = (
            ("ThrottledCalls", t.throttled_calls, "Connect rejected calls because the calls-per-second quota was exceeded",
             "the instance's service quotas (calls per second) and a surge or dialer test"),
            ("CallsBreachingConcurrencyQuota", t.calls_breaching_quota, "Calls exceeded the instance's concurrent calls quota and were rejected",
             "ConcurrentCallsPercentage, then request a quota increase"),
            ("MisconfiguredPhoneNumbers", t.misconfigured_phone_numbers, "Calls failed because their phone number is not associated with a flow",
             "the phone numbers in the Connect console (each must point to a published flow)"),
        )
        for metric_name, threshold, meaning, check in instance_alarms:
            self._alarm(
                metric_name,
                name=f"connect-{metric_name}",
                metric=self.connect_metric(metric_name, voice),
                threshold=threshold,
                critical=True,
                description=f"{meaning} (more than {threshold} in {t.period_minutes} min): those callers never reach the IVR. Check first: {check}.",
            )

    def _alarm(self, construct_id: str, *, name: str, metric: cw.IMetric, threshold: float, description: str, critical: bool = False) -> cw.Alarm:
        alarm = cw.Alarm(
            self,
            construct_id,
            alarm_name=f"{self.prefix}-{name}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(cw_actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        if critical:
            self._critical.append(alarm)
        return alarm

    def _degraded(self) -> cw.CompositeAlarm:
        critical = [created.alarm for created in self.facade.created_alarms_with_tag(CRITICAL)] + self._critical
        composite = cw.CompositeAlarm(
            self,
            "IvrDegraded",
            composite_alarm_name=f"{self.prefix}-ivr-degraded",
            alarm_description=(
                "IVR degraded: callers are failing now (a function erroring or throttled, the backend failing, refusing our API key "
                "or throttling us, or its circuit open, "
                "the messages table failing, a flow failing fatally, or Connect rejecting calls). Check first: the 'Alarms' widget "
                f"at the top of dashboard {self.prefix} to see which child alarm fired, then that alarm's own description."
            ),
            alarm_rule=cw.AlarmRule.any_of(*critical),
        )
        composite.add_alarm_action(cw_actions.SnsAction(self.topic))
        return composite

    # --- Dashboard widgets written here --------------------------------------------------------

    def _overview_widgets(self) -> None:
        facade = self.facade
        facade.add_medium_header("Data dips: calls, results, latency")
        for service in self.functions:
            results = RESULTS_BY_SERVICE.get(service, ())
            facade.add_widget(cw.GraphWidget(
                title=f"{service}: calls and results",
                left=[self.emf(MetricName.INVOCATIONS, service, label="calls")],
                right=[self.emf(result_metric_name(result), service, label=result) for result in results],
                stacked=False, width=8, height=6,
            ))
            facade.add_widget(cw.GraphWidget(
                title=f"{service}: latency (ms)",
                left=[self.emf(MetricName.LATENCY, service, statistic=s, label=s) for s in ("p50", "p99")],
                left_annotations=[cw.HorizontalAnnotation(value=self.config.dip(service).budget_ms, label="budget")],
                width=8, height=6,
            ))
        if self.backend_services:
            facade.add_medium_header("Backend API: errors by kind")
            for service in self.backend_services:
                facade.add_widget(cw.GraphWidget(
                    title=f"{service}: backend calls and errors by kind",
                    left=[self.emf(kind, service) for kind in BACKEND_ERROR_KINDS],
                    right=[self.emf(MetricName.BACKEND_CALLS, service, label="calls"), self.emf(MetricName.CIRCUIT_OPEN, service)],
                    stacked=True, width=12, height=6,
                ))
                facade.add_widget(cw.GraphWidget(
                    title=f"{service}: backend latency per attempt (ms)",
                    left=[self.emf(MetricName.BACKEND_LATENCY, service, statistic=s, label=s) for s in ("p50", "p99")],
                    width=12, height=6,
                ))
        if "closure_check" in self.functions:
            facade.add_medium_header("Closure check: what callers were told")
            facade.add_widget(cw.GraphWidget(
                title="closure_check answers",
                left=[self.emf(result_metric_name(r), "closure_check", label=r) for r in RESULTS_BY_SERVICE["closure_check"]],
                right=[self.emf(MetricName.MESSAGES_SERVED_STALE, "closure_check"), self.emf(MetricName.MESSAGES_TABLE_ERROR, "closure_check")],
                stacked=True, width=24, height=6,
            ))
        facade.add_medium_header("Amazon Connect")
        voice = {"MetricGroup": "VoiceCalls"}
        facade.add_widget(cw.GraphWidget(
            title="Flow errors",
            left=[self.flow_metric(name, flow) for flow in self.flows.values() for name in ("ContactFlowErrors", "ContactFlowFatalErrors")]
            or [self.connect_metric("ContactFlowErrors", {"MetricGroup": "ContactFlow"})],
            width=12, height=6,
        ))
        facade.add_widget(cw.GraphWidget(
            title="Calls and throttles",
            left=[self.connect_metric("CallsPerInterval", voice)],
            right=[self.connect_metric(name, voice) for name in ("ThrottledCalls", "CallsBreachingConcurrencyQuota", "MisconfiguredPhoneNumbers")],
            width=12, height=6,
        ))

    # --- Saved Logs Insights queries (OPS-3) -----------------------------------------------------

    def _queries(self) -> list[logs.QueryDefinition]:
        flow_logs = logs.LogGroup.from_log_group_name(self, "ConnectFlowLogs", self.config.monitoring.connect_flow_log_group)
        function_logs = [function.log_group for function in self.functions.values()]
        on_flow_logs = {
            "callers-abandon": logs.QueryString(
                filter_statements=["ispresent(ContactId)"],
                stats_statements=[
                    "latest(ContactFlowName) as flow, latest(ContactFlowModuleType) as lastBlockType, latest(Identifier) as lastBlock by ContactId",
                    "count(*) as contacts by flow, lastBlockType, lastBlock",
                ],
                sort="contacts desc",
                limit=100,
            ),
            "time-in-ivr": logs.QueryString(
                filter_statements=["ispresent(ContactId)"],
                stats_statements=[
                    "(max(@timestamp) - min(@timestamp)) / 1000 as secondsInIvr, earliest(ContactFlowName) as entryFlow by ContactId",
                    "count(*) as contacts, avg(secondsInIvr) as averageSeconds, pct(secondsInIvr, 50) as medianSeconds, "
                    "pct(secondsInIvr, 90) as p90Seconds, max(secondsInIvr) as longestSeconds by entryFlow",
                ],
                sort="contacts desc",
            ),
            "menu-options": logs.QueryString(
                filter_statements=['ContactFlowModuleType = "GetUserInput"'],
                stats_statements=["count(*) as presses by ContactFlowName, Identifier, Results"],
                sort="presses desc",
                limit=100,
            ),
            "dip-outcomes-seen-by-flows": logs.QueryString(
                filter_statements=['ContactFlowModuleType = "InvokeExternalResource"'],
                stats_statements=["count(*) as calls by ContactFlowName, Parameters.FunctionArn, ExternalResults.result"],
                sort="calls desc",
            ),
            "flow-errors": logs.QueryString(
                fields=["@timestamp", "ContactId", "ContactFlowName", "ContactFlowModuleType", "Identifier", "Results"],
                filter_statements=["Results like /(?i)error|fail|timeout/"],
                sort="@timestamp desc",
                limit=200,
            ),
        }
        on_function_logs = {
            "dip-outcomes": logs.QueryString(
                filter_statements=["ispresent(result)"],
                stats_statements=["count(*) as answers by service, result"],
                sort="answers desc",
            ),
            "dip-errors": logs.QueryString(
                fields=["@timestamp", "service", "correlation_id", "message", "error_kind"],
                filter_statements=['level = "ERROR" or level = "WARNING"'],
                sort="@timestamp desc",
                limit=200,
            ),
        }
        definitions = []
        for name, query in on_flow_logs.items():
            definitions.append(self._query(name, query, [flow_logs]))
        if function_logs:
            for name, query in on_function_logs.items():
                definitions.append(self._query(name, query, function_logs))
        return definitions

    def _query(self, name: str, query: logs.QueryString, log_groups: list[logs.ILogGroup]) -> logs.QueryDefinition:
        construct_id = "Query" + "".join(part.capitalize() for part in name.split("-"))
        return logs.QueryDefinition(self, construct_id, query_definition_name=f"{self.prefix}/{name}", query_string=query, log_groups=log_groups)
