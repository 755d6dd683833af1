"""The one handler decorator every function runs in (DD-5, DD-7): correlation id, cold start, never a raise."""
from __future__ import annotations

import importlib
import io
import json
import os
import socket
import subprocess
import sys

import pytest

from lambdas.common.observability import NAMESPACE, MetricName, logger, result_metric_name
from tests.conftest import REPO_ROOT
from tests.lambda_events import CONTACT_ID, LambdaContext, attributes_over_connects_limit, connect_event, crowded_attributes

# For each function: an event it answers without the network, that answer, and its failure answer.
FUNCTIONS = {
    "order_status": (connect_event({"order_id": "not an order"}), "INVALID_INPUT", "ERROR"),
    "customer_lookup": (connect_event(channel="CHAT"), "UNKNOWN", "ERROR"),
    "interaction_log": (connect_event(), "INVALID_INPUT", "ERROR"),
    "sms_deflection": (connect_event(address=None), "NO_NUMBER", "ERROR"),
    "closure_check": (connect_event({"flow": "main"}), "OPEN", "OPEN"),  # its table is unreachable: OPEN
}

_TWO_INVOCATIONS = """
import importlib, json, sys
from tests.lambda_events import LambdaContext
handler = importlib.import_module(f"lambdas.{sys.argv[1]}.handler")
for invocation in (1, 2):
    print(json.dumps({"invocation": invocation}), flush=True)
    handler.lambda_handler(json.loads(sys.argv[2]), LambdaContext())
"""


def _unused_port() -> int:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        return unused.getsockname()[1]


def _container_output(folder: str, event: dict) -> dict[int, list[dict]]:
    """What a fresh container prints on stdout over its first two invocations, by invocation."""
    env = {**os.environ, "POWERTOOLS_SERVICE_NAME": folder, "POWERTOOLS_LOG_LEVEL": "INFO", "DIP_BUDGET_MS": "1000",
           "MESSAGES_TABLE_NAME": "messages", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{_unused_port()}"}
    result = subprocess.run([sys.executable, "-c", _TWO_INVOCATIONS, folder, json.dumps(event)], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    by_invocation: dict[int, list[dict]] = {}
    current = 0
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if "invocation" in record:
            current = record["invocation"]
        else:
            by_invocation.setdefault(current, []).append(record)
    return by_invocation


def _metric_documents(records: list[dict]) -> list[dict]:
    return [r for r in records if "_aws" in r]


def _names(document: dict) -> set[str]:
    return {m["Name"] for directive in document["_aws"]["CloudWatchMetrics"] for m in directive["Metrics"]}


@pytest.mark.parametrize("folder", sorted(FUNCTIONS))
def test_a_containers_first_invocation_counts_a_cold_start_and_its_second_does_not(folder):
    event, answered, _ = FUNCTIONS[folder]
    output = _container_output(folder, event)

    first, second = _metric_documents(output[1]), _metric_documents(output[2])
    cold = [d for d in first if MetricName.COLD_START in _names(d)]
    assert len(cold) == 1 and _names(cold[0]) == {MetricName.COLD_START}  # a document of its own
    assert cold[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == NAMESPACE
    assert cold[0]["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["function_name", "service"]]
    assert (cold[0]["function_name"], cold[0]["service"]) == (LambdaContext.function_name, folder)
    assert not [d for d in second if MetricName.COLD_START in _names(d)]
    # The metrics the alarms read keep their one dimension, in both invocations.
    for document in [d for d in first + second if d not in cold]:
        assert document["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service"]]
        assert {MetricName.INVOCATIONS, MetricName.LATENCY, result_metric_name(answered)} <= _names(document)


@pytest.mark.parametrize("folder", sorted(FUNCTIONS))
def test_every_log_line_carries_the_contact_id_and_one_says_what_was_answered(folder):
    event, answered, _ = FUNCTIONS[folder]
    output = _container_output(folder, event)

    for invocation, cold_start in ((1, True), (2, False)):
        lines = [r for r in output[invocation] if "_aws" not in r]
        assert lines and all(line["correlation_id"] == CONTACT_ID for line in lines)
        answers = [line for line in lines if line["message"] == "answered"]
        assert len(answers) == 1 and answers[0]["result"] == answered and answers[0]["cold_start"] is cold_start
        assert answers[0]["function_request_id"] == LambdaContext.aws_request_id


@pytest.fixture
def log_lines(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


def _handler(folder: str):
    return importlib.import_module(f"lambdas.{folder}.handler").lambda_handler


@pytest.mark.parametrize("folder", sorted(FUNCTIONS))
@pytest.mark.parametrize(("event", "correlation_id"), [
    (None, None), ("nope", None), ([], None), ({}, None), ({"Details": None}, None), ({"Details": {"ContactData": {}}}, None),
    ({"Details": {"ContactData": {"ContactId": 5}}}, 5),  # not a usable ContactId, but what the event says
])
@pytest.mark.parametrize("context", [LambdaContext(), None])
def test_an_event_without_a_contact_id_is_answered_and_logged_without_correlation_id(folder, event, correlation_id, context, log_lines):
    answer = _handler(folder)(event, context)

    assert answer["result"] == FUNCTIONS[folder][2] and all(isinstance(v, str) for v in answer.values())
    answered = [line for line in log_lines() if line["message"] == "answered"]
    assert len(answered) == 1 and answered[0]["result"] == answer["result"]
    assert answered[0].get("correlation_id") == correlation_id  # Powertools leaves out a key whose value is None


def _broken(*args, **kwargs):
    raise RuntimeError("a bug")


@pytest.mark.parametrize(("folder", "broken"), [
    ("order_status", "normalize_order_id"), ("customer_lookup", "normalize_e164"), ("interaction_log", "normalize_e164"),
    ("sms_deflection", "normalize_e164"), ("closure_check", "current_messages"),
])
def test_a_bug_is_answered_as_the_functions_failure_and_still_counted(folder, broken, monkeypatch, capsys, log_lines):
    module = importlib.import_module(f"lambdas.{folder}.handler")
    monkeypatch.setattr(module, broken, _broken)
    event = connect_event({"order_id": "12345678", "event": "ORDER_STATUS"})

    answer = module.lambda_handler(event, LambdaContext())

    assert answer["result"] == FUNCTIONS[folder][2]
    assert answer.get("error_kind", "INTERNAL") == "INTERNAL"
    lines = log_lines()
    assert any(line["level"] == "ERROR" and "RuntimeError: a bug" in line.get("exception", "") for line in lines)
    assert [line["result"] for line in lines if line["message"] == "answered"] == [answer["result"]]
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    assert result_metric_name(answer["result"]) in {m["Name"] for d in documents for m in d["_aws"]["CloudWatchMetrics"][0]["Metrics"]}


def _with_attributes(event: dict, attributes: dict) -> dict:
    contact = {**event["Details"]["ContactData"], "Attributes": attributes}
    return {**event, "Details": {**event["Details"], "ContactData": contact}}


@pytest.mark.parametrize("folder", sorted(FUNCTIONS))
def test_attributes_a_function_does_not_read_do_not_change_its_answer(folder, log_lines):
    event, answered, _ = FUNCTIONS[folder]
    answer = _handler(folder)(_with_attributes(event, crowded_attributes()), LambdaContext())
    assert answer["result"] == answered and answer.get("error_kind", "") == ""
    assert not [line for line in log_lines() if line["message"] == "not a usable Connect event"]


@pytest.mark.parametrize("folder", sorted(FUNCTIONS))
def test_attributes_beyond_connects_limit_are_answered_as_a_broken_event(folder, log_lines):
    event, _, failed = FUNCTIONS[folder]
    answer = _handler(folder)(_with_attributes(event, attributes_over_connects_limit()), LambdaContext())
    assert answer["result"] == failed and answer.get("error_kind", "INVALID_EVENT") == "INVALID_EVENT"
    refused = [line for line in log_lines() if line["message"] == "not a usable Connect event"]
    assert [line["reason"] for line in refused] == ["Details.ContactData.Attributes exceed Connect's 32768 UTF-8 bytes"]


@pytest.mark.parametrize(("folder", "parameters"), [
    ("order_status", {"order_id": "1" * 65}), ("interaction_log", {"event": "E" * 1025}), ("closure_check", {"flow": "m" * 1025}),
])
def test_an_oversized_value_a_function_reads_is_refused_as_input_and_logged_without_it(folder, parameters, log_lines):
    answer = _handler(folder)(connect_event(parameters), LambdaContext())
    assert answer["result"] == ("OPEN" if folder == "closure_check" else "INVALID_INPUT")  # the closure check fails open
    refused = [line for line in log_lines() if line["message"] == "input refused"]
    assert len(refused) == 1 and refused[0]["reason"].startswith(f"Details.Parameters.{next(iter(parameters))} is longer than")
    assert next(iter(parameters.values())) not in json.dumps(log_lines())
