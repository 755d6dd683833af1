"""The alarms that page the on-call engineer (OPS-1), all to one KMS-encrypted SNS topic.

- Every function's Lambda errors, throttles and p99 duration near its budget (the hours
  overrides': near its timeout), and the messages table's errors and throttles: cdk-monitoring-constructs.
- Written here over IvrMetrics (metric math over our EMF metrics, Connect's per-flow dimensions):
  the failures a function counts itself; the backend's error rate, timeouts, refusals (4xx: our
  API key refused, or throttled), open circuit and unreadable API key; Amazon Connect's flow errors
  per deployed flow and the instance's rejected calls; the hours overrides' failure queue and
  the overrides they had to defer for Connect's limit.

Every alarm treats missing data as not breaching, and its description says what it means and what
to check first. "IVR degraded" is a composite over the alarms that mean callers suffer now.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_connect as connect
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from cdk_monitoring_constructs import ErrorCountThreshold, LatencyThreshold, ThrottledEventsThreshold
from constructs import Construct

from configuration.model import IvrConfig
from infra.caller_verification import FOLDER as VERIFICATION
from infra.hours_overrides import FOLDER as HOURS_OVERRIDES
from infra.hours_overrides import TIMEOUT_SECONDS
from infra.lambda_function import log_group_prefix
from infra.monitoring.metrics import BACKEND_ERROR_KINDS, VOICE_CALLS
from lambdas.common.observability import MetricName, result_metric_name

if TYPE_CHECKING:
    from infra.hours_overrides import HoursOverrides
    from infra.monitoring import IvrMonitoring

CRITICAL = "critical"  # custom tag of the library's alarms that feed "IVR degraded"

# Failures a function counts itself: (metric, what it means, what to check first), per function.
REPORTED_FAILURES = {
    "closure_check": (
        (MetricName.MESSAGES_TABLE_ERROR, "closure_check could not read the messages table and answered from its last known answer "
         "(or 'no message'), so a new emergency message may not play", "the messages table's alarms, then the function's role"),
    ),
    "sms_deflection": (
        (MetricName.DEFLECTION_SEND_ERROR, "sms_deflection could not send the SMS or push that callers were offered",
         "the function's log group for the provider's error (End User Messaging / SNS spend limit, origination identity)"),
        (MetricName.DEFLECTION_STORE_ERROR, "sms_deflection could not read or write its DynamoDB record (idempotency, rate limit), "
         "or read its rate-limit key from Secrets Manager, and sent nothing",
         "the function's log group ('rate-limit key unavailable' warnings first), then its table's throttles"),
    ),
}


class _NoWidgets(TypedDict):
    add_to_detail_dashboard: bool
    add_to_summary_dashboard: bool
    add_to_alarm_dashboard: bool


# The library's monitorings are created without widgets; the dashboard adds them below the IVR overview.
_WIDGETS_LATER = _NoWidgets(add_to_detail_dashboard=False, add_to_summary_dashboard=False, add_to_alarm_dashboard=False)


class _LibraryAlarmText(TypedDict, total=False):
    treat_missing_data_override: cw.TreatMissingData
    custom_tags: list[str]
    alarm_description_override: str


def _library_alarm(description: str, *, critical: bool = False) -> _LibraryAlarmText:
    """What every library alarm here has besides its limit: missing data is not breaching, our description, the CRITICAL tag."""
    text = _LibraryAlarmText(treat_missing_data_override=cw.TreatMissingData.NOT_BREACHING, alarm_description_override=description)
    if critical:
        text["custom_tags"] = [CRITICAL]
    return text


class _Alarm(NamedTuple):
    """An alarm written here: its construct id, its name after the prefix, and when it fires."""

    construct_id: str
    name: str
    metric: cw.IMetric
    threshold: float
    description: str
    critical: bool = False  # callers suffer now: feeds "IVR degraded"


def alarm_topic(scope: Construct, config: IvrConfig, key: kms.IKey, *, alarm_name_prefix: str) -> sns.Topic:
    """The SNS topic every alarm notifies, encrypted with `key`, with the configured emails subscribed.

    Only CloudWatch alarms of this account whose names start with `alarm_name_prefix` (every alarm
    of this stack) may publish to it and use the key to do so.
    """
    topic = sns.Topic(scope, "AlarmTopic", display_name=f"Connect IVR {config.environment} alarms", master_key=key, enforce_ssl=True)
    stack = Stack.of(scope)
    cloudwatch = iam.ServicePrincipal("cloudwatch.amazonaws.com")
    our_alarms = {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:cloudwatch:{stack.region}:{stack.account}:alarm:{alarm_name_prefix}*"},
    }
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchAlarmsPublish",
            principals=[cloudwatch],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions=our_alarms,
        )
    )
    # CloudWatch encrypts what it publishes with the topic's key, on behalf of the alarm (SourceArn).
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchAlarmsEncryptNotifications",
            principals=[cloudwatch],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions=our_alarms,
        )
    )
    for email in config.monitoring.alarm_emails:
        topic.add_subscription(subscriptions.EmailSubscription(email))
    return topic


class IvrAlarms:
    """Every alarm over what `monitoring` watches, then "IVR degraded" over the critical ones.

    Not a construct: each alarm is a child of the monitoring construct itself, so its construct
    path, and with it its logical id, does not depend on how this code is organised.
    `written`: the alarms declared here (the library's are in the facade); `degraded`: the composite.
    """

    def __init__(self, monitoring: IvrMonitoring, table: dynamodb.ITable | None) -> None:
        self.monitoring = monitoring
        self.written: list[cw.Alarm] = []
        self._critical: list[cw.IAlarm] = []
        self._functions()
        if table is not None:
            self._table(table)
        if monitoring.hours_overrides is not None:
            self._hours_overrides_function(monitoring.hours_overrides)
            self._declare(self._hours_overrides(monitoring.hours_overrides))
        for service in monitoring.functions:
            self._declare(self._reported_failures(service))
        for service in monitoring.backend_services:
            self._declare(self._backend(service))
        if VERIFICATION in monitoring.functions:
            self._declare(self._verification())
        for stem, flow in monitoring.flows.items():
            self._declare(self._flow(stem, flow))
        self._declare(self._instance())
        self.degraded = self._degraded()

    @property
    def all(self) -> list[cw.AlarmBase]:
        """Every metric alarm: the library's and the ones written here."""
        return [created.alarm for created in self.monitoring.facade.created_alarms()] + list(self.written)

    # --- The library's: functions and the messages table ----------------------------------------

    def _functions(self) -> None:
        m, t = self.monitoring, self.monitoring.thresholds
        for name, function in m.functions.items():
            dip = m.config.dip(name)
            near_budget_ms = dip.budget_ms * t.dip_duration_percent_of_budget // 100
            logs_hint = f"{name}'s log group (saved query '{m.prefix}/dip-errors')"
            for_callers = name not in m.operator_services
            failed = ("callers took the flow's error branch" if for_callers
                      else "supervisors' requests on the operators' page failed (callers are not affected)")
            throttled = "those callers took the flow's error branch" if for_callers else failed
            late = (f"Connect gives up at {dip.invocation_time_limit_seconds} s and callers hear the failure path" if for_callers
                    else f"the function stops at {dip.lambda_timeout_seconds} s and the page says the request failed")
            m.facade.monitor_lambda_function(
                lambda_function=function.function,
                is_iterator=False,
                **_WIDGETS_LATER,
                alarm_friendly_name=name,
                human_readable_name=f"{name} (budget {dip.budget_ms} ms)",
                add_fault_count_alarm={
                    "Errors": ErrorCountThreshold(max_error_count=t.dip_errors, **_library_alarm(critical=for_callers, description=(
                        f"{name} raised errors (Lambda Errors > {t.dip_errors} in {t.period_minutes} min). Handlers return expected "
                        f"failures as results, so this is a bug, a crash or a Lambda timeout: {failed} "
                        f"(or Lambda retried an asynchronous event). "
                        f"Check first: ERROR lines in {logs_hint}, then the last deploy."
                    )))
                },
                add_throttles_count_alarm={
                    "Throttles": ErrorCountThreshold(max_error_count=t.dip_throttles, **_library_alarm(critical=for_callers, description=(
                        f"Lambda throttled {name} (Throttles > {t.dip_throttles} in {t.period_minutes} min): {throttled}. "
                        f"Check first: the account's concurrent executions, then dips.{name}.reserved_concurrency."
                    )))
                },
                add_latency_p99_alarm={
                    "NearBudget": LatencyThreshold(max_latency=Duration.millis(near_budget_ms), **_library_alarm(description=(
                        f"{name} p99 duration is above {near_budget_ms} ms, {t.dip_duration_percent_of_budget}% of its "
                        f"{dip.budget_ms} ms budget; {late}. Check first: BackendLatency and backend errors on the dashboard, then cold starts "
                        f"(Init Duration in {logs_hint})."
                    )))
                },
            )

    def _table(self, table: dynamodb.ITable) -> None:
        m, t = self.monitoring, self.monitoring.thresholds
        stale = "the closure check answers from its last known answer, or 'no message'"
        m.facade.monitor_dynamo_table(
            table=table,
            **_WIDGETS_LATER,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            alarm_friendly_name="messages-table",
            human_readable_name="Holiday and emergency messages table",
            add_system_error_count_alarm={
                "SystemErrors": ErrorCountThreshold(max_error_count=t.messages_table_errors, **_library_alarm(critical=True, description=(
                    f"DynamoDB returned system errors (HTTP 500) on the messages table: {stale}, so a new emergency message may "
                    f"not play. Check first: the AWS Health dashboard for DynamoDB in {Stack.of(m).region}."
                )))
            },
            add_read_throttled_events_count_alarm={
                "ReadThrottles": ThrottledEventsThreshold(max_throttled_events_threshold=t.messages_table_throttles, **_library_alarm(
                    f"Reads of the messages table were throttled: {stale}. Check first: closure_check invocations (a burst of "
                    f"calls, or a cache TTL too short: messages_cache_ttl_seconds)."
                ))
            },
            add_write_throttled_events_count_alarm={
                "WriteThrottles": ThrottledEventsThreshold(max_throttled_events_threshold=t.messages_table_throttles, **_library_alarm(
                    "Writes to the messages table were throttled: an operator's edit may have failed. "
                    "Check first: who was applying changes (the `ivr messages` command, a bulk apply)."
                ))
            },
        )

    def _hours_overrides_function(self, hours_overrides: HoursOverrides) -> None:
        """Off the callers' path: nothing here is critical, and its duration is measured against its timeout."""
        m, t = self.monitoring, self.monitoring.thresholds
        function = hours_overrides.function
        log_group = f"{log_group_prefix(m.config)}{HOURS_OVERRIDES}"
        near_timeout_ms = TIMEOUT_SECONDS * 1000 * t.dip_duration_percent_of_budget // 100
        retried = ("The stream retries the batch, then sends it to the failure queue (its own alarm). "
                   f"Check first: ERROR lines in {log_group} ('hours overrides not in step').")
        m.facade.monitor_lambda_function(
            lambda_function=function.function,
            is_iterator=False,
            **_WIDGETS_LATER,
            alarm_friendly_name="hours_overrides",
            human_readable_name="hours_overrides (keeps the hours of operation in step with the CLOSE messages)",
            add_fault_count_alarm={"Errors": ErrorCountThreshold(max_error_count=t.dip_errors, **_library_alarm(
                f"hours_overrides raised errors (Lambda Errors > {t.dip_errors} in {t.period_minutes} min): Connect refused an "
                f"hours-of-operation change, or a bug. {retried}"))},
            add_throttles_count_alarm={"Throttles": ErrorCountThreshold(max_error_count=t.dip_throttles, **_library_alarm(
                f"Lambda throttled hours_overrides (Throttles > {t.dip_throttles} in {t.period_minutes} min). {retried}"))},
            add_latency_p99_alarm={"NearTimeout": LatencyThreshold(max_latency=Duration.millis(near_timeout_ms), **_library_alarm(
                f"hours_overrides p99 duration is above {near_timeout_ms} ms, {t.dip_duration_percent_of_budget}% of its "
                f"{TIMEOUT_SECONDS} s timeout: Connect answers slowly or throttles. {retried}"))},
        )

    # --- Written here: the alarm families, as data ------------------------------------------------

    def _hours_overrides(self, hours_overrides: HoursOverrides) -> list[_Alarm]:
        log_group = f"{log_group_prefix(self.monitoring.config)}{HOURS_OVERRIDES}"
        return [
            _Alarm("HoursOverridesFailed", "hours-overrides-failed",
                   hours_overrides.failures.metric_approximate_number_of_messages_visible(period=self.monitoring.metrics.period, statistic="Maximum"),
                   0, (
                "An edit of a CLOSE message did not reach the hours of operation after every retry (its batch is in the failure "
                "queue): the flows' hours check may disagree with the messages; the closure check still plays them. Check first: "
                f"'hours overrides not in step' in {log_group}; once fixed, edit the message again "
                "(or `ivr messages apply` the file): the function reconciles from the table. Then purge the failure queue."
            )),
            _Alarm("HoursOverridesDeferred", "hours-overrides-deferred",
                   self.monitoring.metrics.emf(MetricName.HOURS_OVERRIDES_DEFERRED, HOURS_OVERRIDES, statistic="Maximum"), 0, (
                "More CLOSE messages apply to an hours resource than the 50 overrides Connect holds: the nearest are in the hours, "
                "the later ones only in the messages (the closure check plays them). Check first: the 'deferred' list of the "
                f"warning in {log_group}; delete messages that have ended or merge date ranges."
            )),
        ]


    def _reported_failures(self, service: str) -> list[_Alarm]:
        m, t = self.monitoring, self.monitoring.thresholds
        return [
            _Alarm(f"{service}{metric}", f"{service}-{metric}", m.metrics.emf(metric, service), t.function_reported_errors,
                   f"{meaning} ({metric} > {t.function_reported_errors} in {t.period_minutes} min). Check first: {check}.")
            for metric, meaning, check in REPORTED_FAILURES.get(service, ())
        ]

    def _backend(self, service: str) -> list[_Alarm]:
        m, t = self.monitoring, self.monitoring.thresholds
        secret = m.config.backend.api_key_secret_name
        return [
            _Alarm(f"{service}BackendErrorRate", f"{service}-backend-error-rate", self._backend_error_rate(service), t.backend_error_rate_percent, (
                f"More than {t.backend_error_rate_percent}% of {service}'s backend attempts failed (timeouts, connection errors, 4xx "
                f"other than 404, 5xx, malformed bodies; only periods with {t.backend_min_calls}+ attempts count): callers hear 'that did not work' and go "
                f"to an agent. Check first: the backend's own health and the 'Backend errors by kind' graph."
            ), critical=True),
            # Critical: a refused key fails every caller's self-service.
            _Alarm(f"{service}Backend4xx", f"{service}-backend-4xx", m.metrics.emf(MetricName.BACKEND_ERROR_4XX, service), t.backend_4xx, (
                f"The backend refused {service}'s requests more than {t.backend_4xx} times in {t.period_minutes} min with a 4xx "
                f"other than 404: 401/403 means our API key is wrong, expired or revoked (every call fails), 429 that it throttles "
                f"us. Callers lose self-service and go to an agent. Counted whatever the call volume (the error-rate alarm needs "
                f"{t.backend_min_calls}+ attempts). Check first: the API key in Secrets Manager "
                f"{secret}, and the backend's rate limits; the status of the 'backend attempt "
                f"failed' warnings in {service}'s log group says which."
            ), critical=True),
            _Alarm(f"{service}BackendTimeouts", f"{service}-backend-timeouts", m.metrics.emf(MetricName.BACKEND_ERROR_TIMEOUT, service), t.backend_timeouts, (
                f"{service} saw more than {t.backend_timeouts} backend timeouts in {t.period_minutes} min: the backend answers "
                f"slower than the dip's budget allows. Check first: BackendLatency on the dashboard, then the backend's latency."
            )),
            _Alarm(f"{service}CircuitOpen", f"{service}-circuit-open", m.metrics.emf(MetricName.CIRCUIT_OPEN, service), t.circuit_opened, (
                f"{service}'s circuit breaker is open: it stopped calling the backend after repeated failures, and callers get the "
                f"failure path at once. Check first: whether the backend is down (backend errors by kind), then its status page."
            ), critical=True),
            _Alarm(f"{service}ApiKeyUnavailable", f"{service}-api-key-unavailable", m.metrics.emf(MetricName.BACKEND_API_KEY_UNAVAILABLE, service),
                   t.api_key_unavailable, (
                f"{service} could not read the backend API key from Secrets Manager, so every lookup fails. Check first: the secret "
                f"'{secret}' exists and the function's role may read it."
            ), critical=True),
        ]

    def _verification(self) -> list[_Alarm]:
        """Spikes of failed verifications: someone trying codes, or codes that do not arrive (issue 17).
        The metrics carry the service dimension only: no code, customer or number."""
        m, t = self.monitoring, self.monitoring.thresholds
        failed = cw.MathExpression(
            expression="FILL(failed, 0) + FILL(locked, 0)",
            using_metrics={"failed": m.metrics.emf(result_metric_name("FAILED"), VERIFICATION),
                           "locked": m.metrics.emf(result_metric_name("LOCKED"), VERIFICATION)},
            label="verifications failed or locked", period=m.metrics.period,
        )
        return [
            _Alarm(f"{VERIFICATION}Failures", f"{VERIFICATION}-failures", failed, t.verification_failures, (
                f"More than {t.verification_failures} caller verifications failed or locked out in {t.period_minutes} min: someone "
                "may be trying codes against customers' accounts, or the codes do not reach callers' phones. Check first: "
                f"the reasons in the 'answered' lines of {VERIFICATION}'s log group, then the SMS channel's delivery (End User "
                "Messaging / SNS spend limit)."
            )),
            _Alarm(f"{VERIFICATION}Lockouts", f"{VERIFICATION}-lockouts", m.metrics.emf(result_metric_name("LOCKED"), VERIFICATION),
                   t.verification_lockouts, (
                f"More than {t.verification_lockouts} customers were locked out of verification in {t.period_minutes} min after "
                "repeated wrong codes: a guessing attack across accounts is likely. Check first: the calling numbers of those "
                f"contacts in Connect's contact records, and whether verification.codes_per_calling_number should be lower."
            )),
        ]

    def _backend_error_rate(self, service: str) -> cw.MathExpression:
        """Failed attempts as a percentage of all attempts, 0 in a period with fewer than `backend_min_calls`."""
        m, t = self.monitoring, self.monitoring.thresholds
        errors = {f"e{i}": m.metrics.emf(kind, service) for i, kind in enumerate(BACKEND_ERROR_KINDS)}
        return cw.MathExpression(
            expression=f"IF(calls >= {t.backend_min_calls}, 100 * ({' + '.join(f'FILL({name}, 0)' for name in errors)}) / calls, 0)",
            using_metrics={"calls": m.metrics.emf(MetricName.BACKEND_CALLS, service), **errors},
            label=f"{service} backend error rate (%)",
            period=m.metrics.period,
        )

    def _flow(self, stem: str, flow: connect.CfnContactFlow) -> list[_Alarm]:
        m, t = self.monitoring, self.monitoring.thresholds
        return [
            _Alarm(f"{stem}FlowErrors", f"flow-{stem}-errors", m.metrics.flow_metric("ContactFlowErrors", flow), t.flow_errors, (
                f"Flow '{flow.name}' ran a block's error branch more than {t.flow_errors} times in {t.period_minutes} min (a dip "
                f"failed or timed out, a prompt or queue is missing). Check first: saved query '{m.prefix}/flow-errors' "
                f"for the block, then the dips' alarms."
            )),
            _Alarm(f"{stem}FlowFatalErrors", f"flow-{stem}-fatal-errors", m.metrics.flow_metric("ContactFlowFatalErrors", flow), t.flow_fatal_errors, (
                f"Flow '{flow.name}' failed with a system error and Connect dropped the caller. Check first: the flow logs of those "
                f"contacts (saved query '{m.prefix}/flow-errors'), then the flow's last published version."
            ), critical=True),
        ]

    def _instance(self) -> list[_Alarm]:
        """Calls Connect rejected before any flow ran: all critical."""
        m, t = self.monitoring, self.monitoring.thresholds
        rejected = (  # (metric, threshold, what it means, what to check first)
            ("ThrottledCalls", t.throttled_calls, "Connect rejected calls because the calls-per-second quota was exceeded",
             "the instance's service quotas (calls per second) and a surge or dialer test"),
            ("CallsBreachingConcurrencyQuota", t.calls_breaching_quota, "Calls exceeded the instance's concurrent calls quota and were rejected",
             "ConcurrentCallsPercentage, then request a quota increase"),
            ("MisconfiguredPhoneNumbers", t.misconfigured_phone_numbers, "Calls failed because their phone number is not associated with a flow",
             "the phone numbers in the Connect console (each must point to a published flow)"),
        )
        return [
            _Alarm(metric, f"connect-{metric}", m.metrics.connect_metric(metric, VOICE_CALLS), threshold,
                   f"{meaning} (more than {threshold} in {t.period_minutes} min): those callers never reach the IVR. Check first: {check}.",
                   critical=True)
            for metric, threshold, meaning, check in rejected
        ]

    def _declare(self, family: Iterable[_Alarm]) -> None:
        """Creates each alarm of `family` on the monitoring construct, notifying the topic."""
        m = self.monitoring
        for spec in family:
            alarm = cw.Alarm(
                m,
                spec.construct_id,
                alarm_name=f"{m.prefix}-{spec.name}",
                alarm_description=spec.description,
                metric=spec.metric,
                threshold=spec.threshold,
                comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluation_periods=1,
                datapoints_to_alarm=1,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(cw_actions.SnsAction(m.topic))
            self.written.append(alarm)
            if spec.critical:
                self._critical.append(alarm)

    def _degraded(self) -> cw.CompositeAlarm:
        m = self.monitoring
        critical = [created.alarm for created in m.facade.created_alarms_with_tag(CRITICAL)] + self._critical
        composite = cw.CompositeAlarm(
            m,
            "IvrDegraded",
            composite_alarm_name=f"{m.prefix}-ivr-degraded",
            alarm_description=(
                "IVR degraded: callers are failing now (a function erroring or throttled, the backend failing, refusing our API key "
                "or throttling us, or its circuit open, "
                "the messages table failing, a flow failing fatally, or Connect rejecting calls). Check first: the 'Alarms' widget "
                f"at the top of dashboard {m.prefix} to see which child alarm fired, then that alarm's own description."
            ),
            alarm_rule=cw.AlarmRule.any_of(*critical),
        )
        composite.add_alarm_action(cw_actions.SnsAction(m.topic))
        return composite
