"""DD-7, SEC-3: metrics from the catalog only, logs correlated by ContactId, no number or id in clear."""
from __future__ import annotations

import io
import json

import pytest

from lambdas.common.observability import RESULTS_BY_SERVICE, MetricName, logger, result_metric_name
from lambdas.customer_lookup.handler import lambda_handler as customer_lookup
from lambdas.interaction_log.handler import lambda_handler as interaction_log
from lambdas.order_status.handler import lambda_handler as order_status
from tests.dips.conftest import API_KEY
from tests.lambda_events import LambdaContext, connect_event

CONTACT_ID = "c0ffee00-1111-2222-3333-444455556666"


def emitted(output: str) -> tuple[list[dict], list[str]]:
    """(EMF documents, other log lines) from captured stdout."""
    documents, lines = [], []
    for line in output.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        (documents if "_aws" in record else lines).append(record)
    return documents, lines


def metric_names(documents: list[dict]) -> set[str]:
    return {m["Name"] for d in documents for directive in d["_aws"]["CloudWatchMetrics"] for m in directive["Metrics"]}


@pytest.mark.parametrize("fault", [None, "error_500", "hang", "malformed", "reset"])
def test_every_metric_a_dip_emits_is_in_the_catalog(dip_env, capsys, fault):
    dip_env.set_fault(fault)
    order_status(connect_event({"order_id": "12345678"}), LambdaContext())
    customer_lookup(connect_event(), LambdaContext())
    interaction_log(connect_event({"event": "ORDER_STATUS"}), LambdaContext())

    documents, _ = emitted(capsys.readouterr().out)
    catalog = {str(m) for m in MetricName} | {result_metric_name(r) for results in RESULTS_BY_SERVICE.values() for r in results}
    assert metric_names(documents) <= catalog
    assert {MetricName.INVOCATIONS, MetricName.LATENCY, MetricName.BACKEND_CALLS} <= metric_names(documents)


@pytest.mark.parametrize(("fault", "metric"), [
    ("hang", MetricName.BACKEND_ERROR_TIMEOUT), ("reset", MetricName.BACKEND_ERROR_CONNECTION),
    ("error_503", MetricName.BACKEND_ERROR_5XX), ("throttle_429", MetricName.BACKEND_ERROR_4XX),
    ("malformed", MetricName.BACKEND_ERROR_MALFORMED),
])
def test_backend_errors_are_counted_by_kind(dip_env, capsys, fault, metric):
    dip_env.set_fault(fault)
    order_status(connect_event({"order_id": "12345678"}), LambdaContext())
    documents, _ = emitted(capsys.readouterr().out)
    assert metric in metric_names(documents)
    assert result_metric_name("ERROR") in metric_names(documents)


def test_an_open_circuit_is_counted(dip_env, capsys):
    dip_env.set_fault("error_500")
    for _ in range(6):
        order_status(connect_event({"order_id": "12345678"}), LambdaContext())
    documents, _ = emitted(capsys.readouterr().out)
    assert MetricName.CIRCUIT_OPEN in metric_names(documents)


def test_logs_carry_the_contact_id_and_never_the_number_order_id_or_api_key(dip_env, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)
    dip_env.set_fault("error_500")
    order_status(connect_event({"order_id": "87654321"}), LambdaContext())
    customer_lookup(connect_event(address="+14155550123"), LambdaContext())
    interaction_log(connect_event({"event": "ORDER_STATUS", "order_id": "87654321"}), LambdaContext())

    output = stream.getvalue()
    _, lines = emitted(output)
    assert lines and all(line.get("correlation_id") == CONTACT_ID for line in lines)
    for secret in ("87654321", "4155550123", API_KEY):
        assert secret not in output
