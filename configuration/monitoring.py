"""Alarms, dashboard and saved Logs Insights queries (OPS-1..3): context keys `alarm_emails`,
`monitoring_enabled`, `connect_flow_log_group` and the object `alarm_thresholds`."""
from __future__ import annotations

import re
from typing import Annotated, ClassVar

from configuration.settings import BOOLEAN, Section, listed, text, whole

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+").fullmatch
_LOG_GROUP_NAME = re.compile(r"[A-Za-z0-9_\-/.#]{1,512}").fullmatch

Count = Annotated[int, whole(0, 100000)]


class AlarmThresholds(Section):
    """When each alarm fires: context object `alarm_thresholds`, every key optional (OPS-1).

    Every alarm fires when its value is ABOVE the threshold during one period of `period_minutes`
    (counts are per period). A dip's duration alarm fires when its p99 exceeds
    `dip_duration_percent_of_budget` percent of that dip's `dips.<name>.budget_ms`. The backend
    error rate alarm only evaluates periods with at least `backend_min_calls` backend calls; the
    `backend_4xx` alarm (the backend refusing our API key or throttling us) counts in every period.
    """

    noun: ClassVar[str] = "threshold"

    period_minutes: Annotated[int, whole(1, 60)] = 5
    dip_errors: Count = 0  # Lambda Errors: handlers return failures as results, so any error is a bug
    dip_throttles: Count = 0
    function_reported_errors: Count = 0  # failures a function counts itself (messages table unreadable, SMS not sent)
    dip_duration_percent_of_budget: Annotated[int, whole(10, 100)] = 80
    backend_error_rate_percent: Annotated[int, whole(1, 100)] = 10
    backend_min_calls: Annotated[int, whole(1, 100000)] = 20
    backend_timeouts: Count = 5
    # Backend attempts refused with a 4xx other than 404 (401/403: our API key; 429: throttled), counted
    # whatever the call volume: a wrong key fails every caller even in a quiet period.
    backend_4xx: Count = 5
    circuit_opened: Count = 0
    api_key_unavailable: Count = 0
    messages_table_errors: Count = 0
    messages_table_throttles: Count = 0
    flow_errors: Count = 5
    flow_fatal_errors: Count = 0
    throttled_calls: Count = 0
    calls_breaching_quota: Count = 0
    misconfigured_phone_numbers: Count = 0
    # Caller verifications that failed or locked a customer out (issue 17): a few wrong codes are normal.
    verification_failures: Count = 10
    verification_lockouts: Count = 3


class MonitoringConfig(Section):
    """`alarm_emails`: addresses subscribed to the alarm topic (zero or more; each confirms by email).
    `monitoring_enabled` (attribute `enabled`, default true): false builds the stack without alarms,
    dashboard and queries (a throw-away dev stack, or to measure what monitoring costs at synth).
    `connect_flow_log_group`: where Amazon Connect writes flow logs, `/aws/connect/<instance alias>`
    (enable flow logs on the instance and a "Set logging behavior" block in the flows). The
    instance ARN does not carry the alias, so set it; `load_config` defaults it to
    `/aws/connect/connect-ivr-<environment>`, which fits an instance created with that alias. The
    saved queries read this log group. `alarm_thresholds` (attribute `thresholds`): see AlarmThresholds.
    """

    alarm_emails: Annotated[tuple[str, ...], listed("email addresses", _EMAIL)] = ()
    enabled: Annotated[bool, BOOLEAN] = True
    connect_flow_log_group: Annotated[str, text("a CloudWatch Logs log group name like '/aws/connect/<instance alias>'", _LOG_GROUP_NAME)] = ""
    thresholds: AlarmThresholds = AlarmThresholds()
