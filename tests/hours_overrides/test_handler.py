"""The hours-overrides function on recorded stream events, with Connect and DynamoDB behind botocore's
Stubber: every request is checked against the service model of the installed botocore (issue 15)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import botocore.session
import pytest
from botocore.stub import ANY, Stubber

from lambdas.closure_check.items import to_item
from lambdas.closure_check.model import Message, Window
from lambdas.hours_overrides import connect_hours, handler
from lambdas.hours_overrides.environment import HOURS_ENV, INSTANCE_ID_ENV, QUEUE_HOURS_ENV, TABLE_ENV
from tests.lambda_events import LambdaContext

EVENTS = Path(__file__).parent / "stream_events"
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
HOURS_ID = "aaaaaaaa-0000-0000-0000-000000000001"
HOURS_ARN = f"arn:aws:connect:us-east-1:111122223333:instance/{INSTANCE_ID}/operating-hours/{HOURS_ID}"
TABLE = "connect-ivr-test-messages"
WHERE = {"InstanceId": INSTANCE_ID, "HoursOfOperationId": HOURS_ID}
CHRISTMAS = Message("christmas", "CENTER", "HOLIDAY", "CLOSE", {"en-US": "We are closed for Christmas."},
                    Window("YEARLY", "12-25", "12-25"), version=1)
CHRISTMAS_OVERRIDE = {
    "Name": "ivr-message:christmas",
    "Description": "Closed by the message christmas (ivr messages); kept in step by the app",
    "Config": [], "EffectiveFrom": "2026-12-25", "EffectiveTill": "2026-12-25", "OverrideType": "CLOSED",
    "RecurrenceConfig": {"RecurrencePattern": {"Frequency": "YEARLY", "Interval": 1, "ByMonth": [12], "ByMonthDay": [25]}},
}
WEEKDAYS_8_TO_20 = [{"Day": day, "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 20, "Minutes": 0}}
                    for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]


def recorded(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text())


class Aws:
    """A stubbed client per service; `expect_*` queue the calls the function must make, in order."""

    def __init__(self) -> None:
        session = botocore.session.get_session()
        self.clients = {name: session.create_client(name, region_name="us-east-1") for name in ("connect", "dynamodb")}
        self.stubs = {name: Stubber(client) for name, client in self.clients.items()}

    def expect_messages(self, *messages: Message) -> None:
        self.stubs["dynamodb"].add_response("query", {"Items": [to_item(m) for m in messages]}, {
            "TableName": TABLE, "KeyConditionExpression": "#pk = :pk", "ExpressionAttributeNames": {"#pk": "pk"},
            "ExpressionAttributeValues": {":pk": {"S": "MESSAGE"}}, "ConsistentRead": True})

    def expect_hours(self, overrides: list[dict]) -> None:
        connect = self.stubs["connect"]
        connect.add_response("describe_hours_of_operation", {"HoursOfOperation": {
            "HoursOfOperationId": HOURS_ID, "Name": "ivr-dev-customer_service", "TimeZone": "America/New_York",
            "Config": WEEKDAYS_8_TO_20}}, WHERE)
        connect.add_response("list_hours_of_operation_overrides", {"HoursOfOperationOverrideList": overrides}, {**WHERE, "MaxResults": 100})

    def expect(self, operation: str, params: dict, response: dict | None = None) -> None:
        self.stubs["connect"].add_response(operation, response or {}, {**WHERE, **params})

    def __enter__(self) -> Aws:
        for stub in self.stubs.values():
            stub.activate()
        return self

    def __exit__(self, *failure: object) -> None:
        for stub in self.stubs.values():
            stub.deactivate()
        if failure[0] is None:
            for stub in self.stubs.values():
                stub.assert_no_pending_responses()


@pytest.fixture
def aws(monkeypatch) -> Aws:
    stubbed = Aws()
    monkeypatch.setattr(connect_hours, "client", lambda service: stubbed.clients[service])
    monkeypatch.setattr(handler, "utc_now", lambda: datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    monkeypatch.setenv(TABLE_ENV, TABLE)
    monkeypatch.setenv(INSTANCE_ID_ENV, INSTANCE_ID)
    monkeypatch.setenv(HOURS_ENV, json.dumps({"customer_service": HOURS_ARN}))
    monkeypatch.setenv(QUEUE_HOURS_ENV, json.dumps({"ivr-dev-orders": "customer_service"}))
    return stubbed


def test_a_holiday_added_closes_every_hours_resource_every_year(aws):
    with aws:
        aws.expect_messages(CHRISTMAS)
        aws.expect_hours([])
        aws.expect("create_hours_of_operation_override", CHRISTMAS_OVERRIDE, {"HoursOfOperationOverrideId": "ov-1"})
        assert handler.lambda_handler(recorded("christmas_added"), LambdaContext()) == {"synced": ["customer_service"]}


def test_the_same_event_replayed_changes_nothing(aws):
    with aws:
        aws.expect_messages(CHRISTMAS)
        aws.expect_hours([{**CHRISTMAS_OVERRIDE, "HoursOfOperationOverrideId": "ov-1", "HoursOfOperationId": HOURS_ID}])
        handler.lambda_handler(recorded("christmas_added"), LambdaContext())


@pytest.mark.parametrize("event", ["christmas_disabled", "christmas_deleted"])
def test_a_holiday_disabled_or_deleted_takes_its_override_away(aws, event):
    disabled = Message(**{**CHRISTMAS.__dict__, "enabled": False})
    with aws:
        aws.expect_messages(*([disabled] if event == "christmas_disabled" else []))
        aws.expect_hours([{**CHRISTMAS_OVERRIDE, "HoursOfOperationOverrideId": "ov-1"},
                          {"Name": "Stock-taking (console)", "HoursOfOperationOverrideId": "ov-console", "Config": [],
                           "EffectiveFrom": "2026-12-30", "EffectiveTill": "2026-12-30", "OverrideType": "CLOSED"}])
        aws.expect("delete_hours_of_operation_override", {"HoursOfOperationOverrideId": "ov-1"})
        handler.lambda_handler(recorded(event), LambdaContext())


def test_a_queue_closure_reaches_that_queues_hours_and_history_or_announcements_do_nothing(aws):
    storm = Message("orders-storm", "QUEUE#ivr-dev-orders", "EMERGENCY", "CLOSE", {"en-US": "Closed: storm."},
                    Window("INSTANTS", "2026-12-03T14:00:00", "2026-12-04T10:00:00", "America/New_York"))
    with aws:
        aws.expect_messages(storm)
        aws.expect_hours([])
        aws.expect("create_hours_of_operation_override", {
            "Name": "ivr-message:orders-storm:1", "Description": ANY, "EffectiveFrom": "2026-12-03", "EffectiveTill": "2026-12-03",
            "OverrideType": "STANDARD",
            "Config": [{"Day": "THURSDAY", "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 14, "Minutes": 0}}]})
        aws.expect("create_hours_of_operation_override", {
            "Name": "ivr-message:orders-storm:2", "Description": ANY, "EffectiveFrom": "2026-12-04", "EffectiveTill": "2026-12-04",
            "OverrideType": "STANDARD",
            "Config": [{"Day": "FRIDAY", "StartTime": {"Hours": 10, "Minutes": 0}, "EndTime": {"Hours": 20, "Minutes": 0}}]})
        handler.lambda_handler(recorded("queue_storm_history_and_announcement"), LambdaContext())


def test_an_edit_of_an_announcement_calls_nobody_and_counts_no_hours_synced(aws, capsys, recwarn):
    event = recorded("queue_storm_history_and_announcement")
    event["Records"] = event["Records"][1:]  # the history item and the announcement
    with aws:
        assert handler.lambda_handler(event, LambdaContext()) == {"synced": []}
    assert '"HoursResourcesSynced":[0.0]' in capsys.readouterr().out
    assert not [w for w in recwarn if "No application metrics" in str(w.message)]


def test_when_connect_refuses_the_batch_fails_so_the_stream_retries_it(aws, capsys, caplog):
    with aws:
        aws.expect_messages(CHRISTMAS)
        aws.expect_hours([])
        aws.stubs["connect"].add_client_error("create_hours_of_operation_override", "ThrottlingException", http_status_code=429,
                                              expected_params={**WHERE, **CHRISTMAS_OVERRIDE})
        with pytest.raises(handler.HoursNotInStep, match="customer_service"):
            handler.lambda_handler(recorded("christmas_added"), LambdaContext())
    assert "hours overrides not in step" in caplog.text
    assert '"HoursOverridesFailed":[1.0]' in capsys.readouterr().out


def test_over_connects_limit_the_nearest_are_synced_and_the_function_says_so(aws, capsys, caplog):
    days = [Message(f"day-{n:02}", "CENTER", "HOLIDAY", "CLOSE", {"en-US": "Closed."},
                    Window("DATES", f"2027-01-{n + 1:02}", f"2027-01-{n + 1:02}")) for n in range(31)]
    days += [Message(f"feb-{n:02}", "CENTER", "HOLIDAY", "CLOSE", {"en-US": "Closed."},
                     Window("DATES", f"2027-02-{n + 1:02}", f"2027-02-{n + 1:02}")) for n in range(21)]
    with aws:
        aws.expect_messages(*days)
        aws.expect_hours([])
        for message in days[:50]:
            aws.expect("create_hours_of_operation_override", {
                "Name": f"ivr-message:{message.id}", "Description": ANY, "Config": [], "OverrideType": "CLOSED",
                "EffectiveFrom": message.window.start, "EffectiveTill": message.window.end})
        handler.lambda_handler(recorded("christmas_added"), LambdaContext())
    deferred = next(record for record in caplog.records if "at most 50 overrides" in record.getMessage())
    assert deferred.deferred == ["ivr-message:feb-19", "ivr-message:feb-20"]
    assert '"HoursOverridesDeferred":[2.0]' in capsys.readouterr().out


def test_the_daily_run_reconciles_every_hours_resource(aws):
    scheduled = {"version": "0", "id": "5d3c1a7e-0000-0000-0000-000000000000", "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "111122223333", "time": "2026-12-01T04:17:00Z", "region": "us-east-1",
                 "resources": ["arn:aws:events:us-east-1:111122223333:rule/ConnectIvr-dev-HoursOverridesDaily"], "detail": {}}
    with aws:
        aws.expect_messages(CHRISTMAS)
        aws.expect_hours([])
        aws.expect("create_hours_of_operation_override", CHRISTMAS_OVERRIDE, {"HoursOfOperationOverrideId": "ov-1"})
        assert handler.lambda_handler(scheduled, LambdaContext()) == {"synced": ["customer_service"]}
