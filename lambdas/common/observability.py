"""Logging and metrics set up once for every function (DD-7), and the catalog of metric names.

The catalog is the single source of truth for what the functions emit: the monitoring construct
builds its alarms and dashboard from these same names, and a test checks that every name the
code emits is in here.

Every metric has exactly one dimension, `service` (the function's folder name, taken from
POWERTOOLS_SERVICE_NAME), in the namespace NAMESPACE; except COLD_START, which Powertools emits
(`log_metrics(capture_cold_start_metric=True)`) in a document of its own, once per container, with
the dimensions `function_name` and `service`.
"""
from __future__ import annotations

import os
from enum import StrEnum

from aws_lambda_powertools import Logger, Metrics

NAMESPACE = "ConnectIVR"
SERVICE_DIMENSION = "service"


class MetricName(StrEnum):
    INVOCATIONS = "Invocations"
    COLD_START = "ColdStart"  # Powertools' name; dimensions function_name and service (see above)
    LATENCY = "Latency"  # milliseconds, whole handler
    # Data dips talking to the customer's backend
    BACKEND_LATENCY = "BackendLatency"  # milliseconds, per attempt
    BACKEND_ERROR_TIMEOUT = "BackendErrorTimeout"
    BACKEND_ERROR_CONNECTION = "BackendErrorConnection"
    BACKEND_ERROR_4XX = "BackendError4xx"
    BACKEND_ERROR_5XX = "BackendError5xx"
    BACKEND_ERROR_MALFORMED = "BackendErrorMalformed"
    BACKEND_CALLS = "BackendCalls"
    CIRCUIT_OPEN = "CircuitOpen"
    BACKEND_API_KEY_UNAVAILABLE = "BackendApiKeyUnavailable"  # the API key could not be read from Secrets Manager
    # Closure check reading the messages table
    MESSAGES_TABLE_ERROR = "MessagesTableError"
    MESSAGES_SERVED_STALE = "MessagesServedStale"
    # SMS / app deflection (sms_deflection)
    DEFLECTION_SENT_SMS = "DeflectionSentSms"
    DEFLECTION_SENT_PUSH = "DeflectionSentPush"
    DEFLECTION_DUPLICATE = "DeflectionDuplicate"  # a retry or second press answered from the record
    DEFLECTION_SEND_ERROR = "DeflectionSendError"  # End User Messaging / SNS / push webhook refused or failed
    DEFLECTION_STORE_ERROR = "DeflectionStoreError"  # its DynamoDB table (idempotency, rate limit) failed
    # Hours-of-operation overrides following the CLOSE messages (hours_overrides)
    HOURS_RESOURCES_SYNCED = "HoursResourcesSynced"  # hours resources one run reconciled (0: no CLOSE message changed)
    HOURS_OVERRIDES_DEFERRED = "HoursOverridesDeferred"  # overrides left out for Connect's 50 per hours
    HOURS_OVERRIDES_FAILED = "HoursOverridesFailed"  # an hours resource Connect refused to change (the batch is retried)


def result_metric_name(result: str) -> str:
    """`NOT_FOUND` -> `ResultNotFound`: one count per answer class."""
    return "Result" + "".join(part.capitalize() for part in result.split("_"))


# The answer classes of each function, so alarms and dashboards know every result metric.
RESULTS_BY_SERVICE: dict[str, tuple[str, ...]] = {
    "closure_check": ("CLOSED", "OPEN", "ANNOUNCE"),
    "order_status": ("FOUND", "NOT_FOUND", "INVALID_INPUT", "ERROR"),
    "customer_lookup": ("FOUND", "UNKNOWN", "ERROR"),
    "interaction_log": ("LOGGED", "DUPLICATE", "INVALID_INPUT", "ERROR"),
    "sms_deflection": ("SENT", "NOT_MOBILE", "NO_NUMBER", "OPTED_OUT", "RATE_LIMITED", "ERROR"),
    "caller_verification": ("SENT", "WRONG_CODE", "EXPIRED", "VERIFIED", "FAILED", "LOCKED", "UNAVAILABLE"),
}


def service_name() -> str:
    return os.environ.get("POWERTOOLS_SERVICE_NAME", "ivr")


logger = Logger(service=service_name())
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE))
