"""The closure-check Lambda against DynamoDB on moto's server (MSG-2, CX-8): answers, cache, failures."""
from __future__ import annotations

import socket
import time
from datetime import UTC, datetime

import pytest

from ivr.messages.local import SEED_FILE, load_messages
from lambdas.closure_check import environment, handler, messages_table
from lambdas.closure_check.items import to_item
from lambdas.closure_check.model import Message, Window
from tests.lambda_events import connect_event, crowded_attributes
from tests.messages.conftest import TABLE

LOCAL_READ_TIMEOUT_MS = "5000"  # moto on a loaded machine, not the bound: test_an_unreachable_table_* test that
CONTRACT_KEYS = {"result", "closed", "kind", "message", "message_format", "message_id", "stale"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(messages_table, "_clock", clock)
    return clock


@pytest.fixture
def lambda_env(table, monkeypatch, clock):
    monkeypatch.setenv(environment.TABLE_ENV, table)
    monkeypatch.setenv(environment.CACHE_TTL_ENV, "30")
    monkeypatch.setenv(environment.TIME_ZONE_ENV, "America/New_York")
    monkeypatch.setenv(environment.DEFAULT_LANGUAGE_ENV, "en-US")
    monkeypatch.setenv(environment.BUDGET_ENV, "1500")  # the container's cache is reset by tests/conftest.py
    monkeypatch.setenv(environment.READ_TIMEOUT_ENV, LOCAL_READ_TIMEOUT_MS)


@pytest.fixture
def christmas(monkeypatch):
    """The handler's "now": 2026-12-25 10:00 in New York."""
    monkeypatch.setattr(handler, "utc_now", lambda: datetime(2026, 12, 25, 15, 0, tzinfo=UTC))


def event(**parameters) -> dict:
    return connect_event(parameters, Queue={"Name": "Sales"})


def count_queries() -> list:
    calls = []
    messages_table._cache.client = messages_table.dynamodb_client()
    messages_table._cache.client.meta.events.register("before-call.dynamodb.Query", lambda **_: calls.append(1))
    return calls


def test_christmas_closes_the_center_with_ssml(dynamodb, lambda_env, christmas):
    load_messages(dynamodb, TABLE, SEED_FILE)
    answer = handler.lambda_handler(event(flow="main", language="es-US"), None)
    assert set(answer) == CONTRACT_KEYS and all(isinstance(v, str) for v in answer.values())
    assert answer["result"] == "CLOSED" and answer["closed"] == "true" and answer["kind"] == "HOLIDAY"
    assert answer["message"].startswith("<speak>Nuestro centro de atención está cerrado hoy por Navidad") and \
        answer["message"].endswith("</speak>")
    assert answer["message_format"] == "TEXT" and answer["message_id"] == "christmas-day" and answer["stale"] == "false"


def test_a_contact_with_30_kb_of_other_attributes_still_hears_the_closure(dynamodb, lambda_env, christmas):
    load_messages(dynamodb, TABLE, SEED_FILE)
    crowded = connect_event({"flow": "main"}, Queue={"Name": "Sales"}, attributes={**crowded_attributes(), "language": "es-US"})
    answer = handler.lambda_handler(crowded, None)
    assert (answer["result"], answer["message_id"]) == ("CLOSED", "christmas-day")
    assert answer["message"].startswith("<speak>Nuestro centro")  # the one attribute it reads, among the others


def test_the_reopening_comes_from_the_hours_it_is_given(dynamodb, lambda_env, christmas, monkeypatch):
    load_messages(dynamodb, TABLE, SEED_FILE)
    without = handler.lambda_handler(event(flow="main"), None)["message"]
    assert "opens again during our regular hours" in without  # no hours given: still a sentence
    monkeypatch.setenv(environment.OPENING_HOURS_ENV, '{"MONDAY":"08:00-20:00","FRIDAY":"08:00-20:00"}')
    assert "opens again on Monday at 8 AM" in handler.lambda_handler(event(flow="main"), None)["message"]


def test_nothing_active_is_open(dynamodb, lambda_env, monkeypatch):
    load_messages(dynamodb, TABLE, SEED_FILE)
    monkeypatch.setattr(handler, "utc_now", lambda: datetime(2026, 7, 1, 15, 0, tzinfo=UTC))
    assert handler.lambda_handler(event(flow="main"), None) == {
        "result": "OPEN", "closed": "false", "kind": "", "message": "", "message_format": "", "message_id": "", "stale": "false"}


def test_queue_scope_uses_the_parameter_or_the_contacts_queue(dynamodb, lambda_env, monkeypatch):
    load_messages(dynamodb, TABLE, SEED_FILE)
    monkeypatch.setattr(handler, "utc_now", lambda: datetime(2026, 12, 6, 6, 0, tzinfo=UTC))  # 01:00 EST
    assert handler.lambda_handler(event(queue="ivr-dev-billing"), None)["result"] == "ANNOUNCE"
    assert handler.lambda_handler(event(), None)["result"] == "OPEN"  # the contact's queue is Sales


def test_scope_queue_asks_for_the_queues_own_messages_only(dynamodb, lambda_env, christmas):
    load_messages(dynamodb, TABLE, SEED_FILE)
    assert handler.lambda_handler(event(flow="main"), None)["result"] == "CLOSED"  # the center's holiday
    assert handler.lambda_handler(event(flow="main", scope="queue"), None)["result"] == "OPEN"  # Sales has none


def test_one_query_per_ttl_and_an_edit_is_live_after_it(dynamodb, lambda_env, christmas, clock):
    load_messages(dynamodb, TABLE, SEED_FILE)
    queries = count_queries()
    for _ in range(20):
        assert handler.lambda_handler(event(flow="main"), None)["message_id"] == "christmas-day"
    assert len(queries) == 1
    load_messages(dynamodb, TABLE, [{"id": "severe-weather", "scope": "center", "kind": "EMERGENCY", "effect": "CLOSE",
                                     "text": {"en-US": "Closed for a storm."}}])
    clock.now += 29
    assert handler.lambda_handler(event(flow="main"), None)["message_id"] == "christmas-day"  # cached
    clock.now += 2
    answer = handler.lambda_handler(event(flow="main"), None)
    assert answer["message_id"] == "severe-weather" and answer["kind"] == "EMERGENCY"
    assert len(queries) == 2


def test_dynamodb_failure_serves_the_last_known_messages_as_stale(dynamodb, lambda_env, christmas, clock):
    load_messages(dynamodb, TABLE, SEED_FILE)
    queries = count_queries()
    assert handler.lambda_handler(event(), None)["stale"] == "false"
    dynamodb.update_table(TableName=TABLE, DeletionProtectionEnabled=False)
    dynamodb.delete_table(TableName=TABLE)
    clock.now += 31
    answer = handler.lambda_handler(event(), None)
    assert answer["result"] == "CLOSED" and answer["message_id"] == "christmas-day" and answer["stale"] == "true"
    assert handler.lambda_handler(event(), None)["stale"] == "true"
    assert len(queries) == 2  # the failed read is not retried on every call


def test_dynamodb_failure_before_any_read_answers_open_within_the_budget(lambda_env, monkeypatch, christmas):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")  # nothing listens there
    started = time.monotonic()
    answer = handler.lambda_handler(event(), None)
    assert answer["result"] == "OPEN" and answer["message"] == "" and answer["stale"] == "false"
    assert time.monotonic() - started < 3  # budget 1.5 s, generous margin


def test_the_table_client_gives_up_within_the_read_timeout_in_one_attempt(monkeypatch):
    monkeypatch.delenv(environment.READ_TIMEOUT_ENV, raising=False)
    config = messages_table.dynamodb_client().meta.config
    assert messages_table.read_timeout_ms() == 90
    assert config.connect_timeout + config.read_timeout <= 0.09 and config.retries["total_max_attempts"] == 1
    monkeypatch.setenv(environment.READ_TIMEOUT_ENV, "nonsense")
    assert messages_table.read_timeout_ms() == 90


@pytest.fixture
def listening_but_mute():
    """A port that accepts connections (the kernel completes them) and never answers a request."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


@pytest.fixture
def closed_port():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    return port  # nothing listens there: connections are refused


@pytest.mark.parametrize("endpoint", ["closed_port", "listening_but_mute"])
def test_an_unreachable_table_costs_a_caller_at_most_the_read_timeout(lambda_env, monkeypatch, christmas, clock, endpoint, request):
    """OPEN before any read succeeded, the last messages (stale) after one: within the 90 ms the
    client enforces (above), checked here with a wall-clock margin a loaded machine keeps."""
    monkeypatch.delenv(environment.READ_TIMEOUT_ENV)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{request.getfixturevalue(endpoint)}")
    messages_table._cache.client = messages_table.dynamodb_client()  # a warm container's client: not timed
    started = time.monotonic()
    answer = handler.lambda_handler(event(), None)
    assert time.monotonic() - started < 1.0  # the old client took 2 attempts of 0.75 s on a mute port
    assert answer["result"] == "OPEN" and answer["stale"] == "false"

    messages_table._cache.messages = [Message(id="storm", scope="CENTER", kind="EMERGENCY", effect="CLOSE", texts={"en-US": "Storm."})]
    clock.now += messages_table.RETRY_AFTER_FAILURE_SECONDS + 1
    started = time.monotonic()
    answer = handler.lambda_handler(event(), None)
    assert time.monotonic() - started < 1.0
    assert answer["result"] == "CLOSED" and answer["message_id"] == "storm" and answer["stale"] == "true"


@pytest.mark.parametrize("bad", [None, "nope", {}, {"Details": {"ContactData": {}}},
                                 {"Details": {"ContactData": {"ContactId": "c"}, "Parameters": {"queue": 5}}}])
def test_a_bad_event_answers_open(lambda_env, bad):
    answer = handler.lambda_handler(bad, None)
    assert answer["result"] == "OPEN" and set(answer) == CONTRACT_KEYS


def test_a_malformed_item_in_the_table_is_skipped_and_the_others_still_play(dynamodb, lambda_env, christmas):
    load_messages(dynamodb, TABLE, SEED_FILE)
    dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "MESSAGE"}, "sk": {"S": "aaa-broken"}, "kind": {"S": "HOLIDAY"}})
    bad_zone = to_item(Message(id="bad-zone", scope="CENTER", kind="EMERGENCY", effect="CLOSE", texts={"en-US": "Storm."},
                               window=Window("INSTANTS", "2026-12-25T00:00", "2026-12-26T00:00", "Mars/Olympus")))
    dynamodb.put_item(TableName=TABLE, Item=bad_zone)
    answer = handler.lambda_handler(event(), None)
    assert answer["result"] == "CLOSED" and answer["message_id"] == "christmas-day" and answer["stale"] == "false"


def test_the_handler_imports_only_what_its_lambda_asset_holds():
    """The asset has lambdas/common and lambdas/closure_check; the runtime adds botocore, the layer Powertools."""
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    code = ("import sys, lambdas.closure_check.handler; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'yaml', 'ivr', 'infra', 'aws_cdk', 'pydantic', 'requests'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                         timeout=60).stdout
    assert out.strip() == "[]"


def test_after_its_first_table_read_the_closure_check_leaves_its_client_out_of_garbage_collection(table, moto_endpoint):
    """As the dips do (tests/dips/test_cold_start.py): a full collection then walks only what calls make."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    code = ("import gc, json; from lambdas.closure_check.handler import lambda_handler; "
            "before = gc.get_freeze_count(); "
            "answer = lambda_handler({'Details': {'ContactData': {'ContactId': 'c', 'Channel': 'VOICE'}, 'Parameters': {}}}, None); "
            "gc.collect(); print(json.dumps([before, answer['result'], len(gc.get_objects()), gc.get_freeze_count()]))")
    env = {**os.environ, "AWS_ENDPOINT_URL": moto_endpoint, environment.TABLE_ENV: TABLE, "POWERTOOLS_LOG_LEVEL": "ERROR",
           environment.READ_TIMEOUT_ENV: LOCAL_READ_TIMEOUT_MS}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    before, answered, left_to_walk, frozen = json.loads(result.stdout.splitlines()[-1])
    assert (before, answered) == (0, "OPEN")
    assert left_to_walk * 20 < frozen
