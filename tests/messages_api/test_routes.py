"""The operators' page API (issue 14): the CLI's model, store, guards and times behind HTTP routes."""
from __future__ import annotations

from tests.messages_api.conftest import TABLE, storm


def test_an_emergency_added_now_plays_at_once_and_the_list_says_so(editor):
    status, added = editor("POST", "/api/messages", storm())
    assert status == 200 and added["message"]["version"] == 1 and added["message"]["updated_by"] == "ann@example.com"
    status, listed = editor("GET", "/api/messages")
    (message,) = listed["messages"]
    assert (message["id"], message["state"], message["now"]) == ("storm", "live", "plays")
    assert message["window"]["time_zone"] == "America/New_York"  # "now" and "+2h" are kept in the center's time


def test_what_callers_hear_is_given_per_flow_queue_and_language(editor):
    editor("POST", "/api/messages", storm(text={"en-US": "Closed.", "es-US": "Cerrado."}))
    editor("POST", "/api/messages", storm(id="billing-down", scope="queue:ivr-dev-billing", kind="ANNOUNCEMENT", effect="ANNOUNCE",
                                          text={"en-US": "Billing is down."}))
    heard = {(h["stage"], h["name"], h["language"]): h for h in editor("GET", "/api/hearing")[1]["hearing"]}
    assert heard[("flow", "main", "es-US")]["message"] == "<speak>Cerrado.</speak>" and heard[("flow", "main", "es-US")]["result"] == "CLOSED"
    assert heard[("queue", "ivr-dev-billing", "en-US")]["message_id"] == "billing-down"
    assert heard[("queue", "ivr-dev-billing", "es-US")]["message"] == "<speak>Billing is down.</speak>"  # the default language
    assert heard[("queue", "ivr-dev-orders", "en-US")]["result"] == "OPEN"  # the queue stage hears only its queue's messages


def test_preview_at_any_time_and_scope_answers_as_the_closure_check(editor):
    editor("POST", "/api/messages", storm(id="christmas", kind="HOLIDAY", start="12-25", end="12-25",
                                          text={"en-US": "<speak>Merry <emphasis>Christmas</emphasis>.</speak>"}))
    status, now = editor("GET", "/api/preview", at="2026-12-24T10:00")
    assert status == 200 and now["answer"]["result"] == "OPEN"
    status, christmas = editor("GET", "/api/preview", at="2026-12-25T10:00", scope="flow:main", language="es-US")
    assert christmas["answer"]["result"] == "CLOSED" and christmas["answer"]["message_format"] == "SSML"
    assert christmas["spoken"] == "Merry Christmas ." and christmas["language"] == "en-US" and christmas["at"] == "2026-12-25 10:00 EST"
    assert editor("GET", "/api/preview", at="tomorrow")[1] == {
        "error": "bad_input", "field": "at",
        "reason": "at 'tomorrow' is not a time: give now, +2h / +30m / +1d, or a local date-time like 2026-12-24T14:00"}


def test_bad_input_names_the_field_and_writes_nothing(editor, store):
    cases = {
        "id": storm(id="Storm!"), "scope": storm(scope="planet:mars"), "kind": storm(kind="PARTY"), "effect": storm(effect="MAYBE"),
        "priority": storm(priority="high"), "start": storm(start="soon"), "end": storm(end="-2h"), "text": storm(text={}),
        "time_zone": storm(time_zone="Mars/Base"),
    }
    for field, body in cases.items():
        status, refused = editor("POST", "/api/messages", body)
        assert (status, refused["error"], refused["field"]) == (400, "bad_input", field), (field, refused)
        assert refused["reason"] and "--" not in refused["reason"]
    assert editor("POST", "/api/messages", storm(text={"xx-XX": "hi"}))[1]["field"] == "text"
    assert editor("POST", "/api/messages", storm(end=""))[1]["field"] == "end"  # a start needs an end
    assert editor("POST", "/api/messages", storm(start="", end="+2h"))[1]["field"] == "start"
    assert editor("POST", "/api/messages", storm(start="2026-12-24T17:00", end="2026-12-24T09:00"))[1]["field"] == "start"
    assert store.messages() == [] and store.history() == []


def test_a_stale_page_gets_409_with_what_changed_and_nothing_is_written(editor, other_editor, store):
    version = editor("POST", "/api/messages", storm())[1]["message"]["version"]
    other_editor("PUT", "/api/messages/storm", storm(expected_version=version, text={"en-US": "Closed: flooding."}))
    status, conflict = editor("PUT", "/api/messages/storm", storm(expected_version=version, text={"en-US": "Closed: snow."}))
    assert status == 409 and conflict["error"] == "conflict" and "nothing written" in conflict["reason"]
    assert conflict["current"]["text"] == {"en-US": "Closed: flooding."} and conflict["current"]["version"] == 2
    (change,) = conflict["changes"]
    assert change["by"] == "bob@example.com" and change["version"] == 2 and "Closed: flooding." in change["what"]
    assert store.get("storm").texts == {"en-US": "Closed: flooding."}
    for method, path in (("POST", "/api/messages/storm/disable"), ("DELETE", "/api/messages/storm")):
        assert editor(method, path, {"expected_version": version})[0] == 409
    assert editor("DELETE", "/api/messages/storm", expected_version="2")[0] == 200


def test_adding_an_id_that_exists_is_a_conflict(editor):
    editor("POST", "/api/messages", storm())
    status, conflict = editor("POST", "/api/messages", storm())
    assert status == 409 and "already exists" in conflict["reason"] and conflict["current"]["id"] == "storm"


def test_guard_rails_ask_for_confirmation_before_writing(editor, store):
    over = storm(id="past", start="2020-01-01T09:00", end="2020-01-01T10:00")
    status, asked = editor("POST", "/api/messages", over)
    assert status == 422 and asked["error"] == "confirm" and "is over already" in asked["warnings"][0]
    unknown = storm(id="lost", scope="queue:ivr-dev-nowhere")
    assert "this app has no queue 'ivr-dev-nowhere'" in editor("POST", "/api/messages", unknown)[1]["warnings"][0]
    assert store.messages() == []
    assert editor("POST", "/api/messages", {**over, "confirm": True})[0] == 200


def test_enable_disable_delete_restore_and_history_with_the_signed_in_identity(editor, other_editor):
    editor("POST", "/api/messages", storm())
    assert editor("POST", "/api/messages/storm/disable", {"expected_version": 1})[1]["message"]["enabled"] is False
    assert editor("GET", "/api/messages")[1]["messages"][0]["state"] == "disabled"
    assert editor("POST", "/api/messages/storm/disable", {"expected_version": 2})[1]["unchanged"] is True
    assert other_editor("POST", "/api/messages/storm/enable", {"expected_version": 2})[1]["message"]["version"] == 3
    assert other_editor("DELETE", "/api/messages/storm", {"expected_version": 3})[0] == 200
    assert editor("GET", "/api/messages")[1]["messages"] == []
    status, restored = editor("POST", "/api/messages/storm/restore", {})
    assert status == 200 and restored["message"]["version"] == 5 and restored["message"]["enabled"] is True
    history = editor("GET", "/api/history", id="storm")[1]["history"]
    assert [(h["action"], h["by"], h["version"]) for h in history] == [
        ("RESTORE", "ann@example.com", 5), ("DELETE", "bob@example.com", 4), ("ENABLE", "bob@example.com", 3),
        ("DISABLE", "ann@example.com", 2), ("ADD", "ann@example.com", 1)]
    assert history[0]["at"].endswith(("EST", "EDT"))  # in the center's time
    assert editor("POST", "/api/messages/storm/restore", {"version": 9})[1]["field"] == "version"


def test_a_missing_message_is_404_and_an_edit_needs_the_version_seen(editor):
    assert editor("PUT", "/api/messages/nothing", storm(expected_version=1))[0] == 404
    editor("POST", "/api/messages", storm())
    assert editor("PUT", "/api/messages/storm", storm())[1]["field"] == "expected_version"


def test_an_unreachable_table_is_503_with_one_line(api, editor, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    def unreachable(*args, **kwargs):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    monkeypatch.setattr(api.store.client, "query", unreachable)
    status, failed = editor("GET", "/api/messages")
    assert status == 503 and failed["error"] == "aws" and "\n" not in failed["reason"]


def test_the_table_is_the_one_the_cli_uses(editor, store):
    """What the page writes, `ivr messages` reads: one store, one item format."""
    editor("POST", "/api/messages", storm())
    assert store.table == TABLE and store.get("storm").kind == "EMERGENCY"
