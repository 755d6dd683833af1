"""The interpreter on small flows: what the caller hears, which branch each block takes, how the call ends."""
from __future__ import annotations

import gc
from datetime import datetime

import pytest

from ivr.simulator import transcript as t
from tests.simulator.conftest import NEW_YORK, act, end, flow, say

MENU_ERRORS = {"InputTimeLimitExceeded": "sorry", "NoMatchingCondition": "sorry", "NoMatchingError": "sorry"}


def menu_flow() -> dict:
    return flow(
        "hello",
        say("hello", "Welcome.", "menu"),
        act("menu", "GetParticipantInput",
            {"Text": "Press 1 for orders, or 0 for an agent.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
            errors=MENU_ERRORS, conditions=[("Equals", "1", "ask"), ("Equals", "0", "queue")]),
        act("ask", "GetParticipantInput",
            {"SSML": "<speak>Enter your <emphasis>8-digit</emphasis> order number, then press pound.</speak>",
             "StoreInput": "True", "InputTimeLimitSeconds": "8", "InputValidation": {"CustomValidation": {"MaximumLength": "8"}}},
            "remember", {"NoMatchingError": "sorry"}),
        act("remember", "UpdateContactAttributes", {"Attributes": {"orderId": "$.StoredCustomerInput", "reason": "ORDER"}},
            "repeat", {"NoMatchingError": "sorry"}),
        say("repeat", "You entered $.Attributes.orderId.", "queue"),
        act("queue", "UpdateContactTargetQueue", {"QueueId": "{{orders_queue_arn}}"}, "transfer", {"NoMatchingError": "sorry"}),
        act("transfer", "TransferContactToQueue", None, None, {"QueueAtCapacity": "full", "NoMatchingError": "sorry"}),
        say("full", "All our agents are busy.", "end"),
        say("sorry", "Sorry, goodbye.", "end"),
        end(),
    )


def test_menu_key_then_stored_input_reaches_the_queue_with_attributes(flows_dir, simulate):
    flows_dir("main", menu_flow())
    call = simulate("main", keys="1 12345678#")
    assert call.heard() == [
        "Welcome.", "Press 1 for orders, or 0 for an agent.",
        "Enter your 8-digit order number, then press pound.", "You entered 12345678.",
    ]
    assert call.outcome.kind == t.TRANSFERRED
    assert call.outcome.queue == "orders"
    assert call.outcome.attributes == {"orderId": "12345678", "reason": "ORDER"}
    assert "transferred to queue 'orders' with attributes orderId=12345678, reason=ORDER" in t.render_text(call)


def test_type_ahead_keys_are_kept_for_the_next_prompt(flows_dir, simulate):
    flows_dir("main", menu_flow())
    assert simulate("main", keys="112345678#").outcome.attributes["orderId"] == "12345678"


def test_no_key_takes_the_timeout_branch(flows_dir, simulate):
    flows_dir("main", menu_flow())
    call = simulate("main", keys="")
    assert call.heard()[-1] == "Sorry, goodbye."
    assert call.outcome.kind == t.DISCONNECTED
    assert any(e.kind == t.INPUT and e.data.get("timeout") for e in call.events)


def test_a_key_no_branch_expects_takes_no_matching_condition(flows_dir, simulate):
    flows_dir("main", menu_flow())
    assert simulate("main", keys="7").heard()[-1] == "Sorry, goodbye."


def test_queue_at_capacity(flows_dir, simulate):
    flows_dir("main", menu_flow())
    call = simulate("main", keys="0", queue_full=True)
    assert call.heard()[-1] == "All our agents are busy."
    assert call.outcome.kind == t.DISCONNECTED


def test_caller_hangs_up(flows_dir, simulate):
    flows_dir("main", menu_flow())
    assert simulate("main", keys="hangup").outcome.kind == t.HUNG_UP


def dip_flow(function: str) -> dict:
    return flow(
        "dip",
        act("dip", "InvokeLambdaFunction",
            {"LambdaFunctionARN": f"{{{{{function}_lambda_arn}}}}", "InvocationTimeLimitSeconds": f"{{{{{function}_time_limit}}}}",
             "LambdaInvocationAttributes": {"order_id": "42", "from": "$.CustomerEndpoint.Address"}},
            "check", {"NoMatchingError": "failed"}),
        act("check", "Compare", {"ComparisonValue": "$.External.result"}, None, {"NoMatchingCondition": "failed"},
            [("Equals", "OK", "ok")]),
        say("ok", "Found order $.External.order_id for $.External.caller.", "end"),
        say("failed", "The lookup did not work.", "end"),
        end(),
    )


def test_lambda_answer_is_read_through_external(flows_dir, simulate):
    flows_dir("main", dip_flow("echo"))
    call = simulate("main")
    assert call.heard() == ["Found order 42 for +15555550123."]
    (dip,) = call.dips()
    assert dip.data["function"] == "echo" and dip.data["outcome"] == "ok"
    assert dip.data["parameters"] == {"order_id": "42", "from": "+15555550123"}
    assert dip.data["time_limit_seconds"] == 3  # filled from the function's time-limit placeholder


@pytest.mark.parametrize("function, outcome, reason", [
    ("boom", "error", "RuntimeError: backend exploded"),
    ("slow", "timeout", "InvocationTimeLimitSeconds=1"),
    ("nested", "invalid-response", "nested"),
    ("missing", "missing", "no local code or stub for Lambda"),
])
def test_a_failed_lambda_takes_the_error_branch(flows_dir, simulate, function, outcome, reason):
    flows_dir("main", dip_flow(function))
    call = simulate("main")
    assert call.heard() == ["The lookup did not work."]
    (dip,) = call.dips()
    assert dip.data["outcome"] == outcome and reason in dip.data["error"]
    if function == "slow":
        assert dip.data["elapsed_ms"] < 2500  # the caller waited the 1 s time limit, not the 3 s run


def test_what_a_function_froze_is_given_back_to_the_collector_when_its_container_goes(flows_dir, simulate):
    """Each local call starts its functions cold in this one process: a freeze per container, kept,
    would hold every reference cycle of the calls before (botocore sessions) for ever."""
    flows_dir("main", dip_flow("freezer"))
    assert simulate("main").dips()[0].data["outcome"] == "ok"
    assert gc.get_freeze_count() == 0


def hours_flow() -> dict:
    return flow(
        "hours",
        act("hours", "CheckHoursOfOperation", {"HoursOfOperationId": "{{business_hours_arn}}"}, None,
            {"NoMatchingError": "closed"}, [("Equals", "True", "open"), ("Equals", "False", "closed")]),
        say("open", "We are open.", "end"),
        say("closed", "We are closed.", "end"),
        end(),
    )


@pytest.mark.parametrize("at, heard", [
    (datetime(2026, 11, 24, 10, 0, tzinfo=NEW_YORK), "We are open."),
    (datetime(2026, 11, 24, 19, 30, tzinfo=NEW_YORK), "We are closed."),
    (datetime(2026, 11, 28, 10, 0, tzinfo=NEW_YORK), "We are closed."),  # Saturday
])
def test_hours_of_operation_follow_the_simulated_clock(flows_dir, simulate, at, heard):
    flows_dir("main", hours_flow())
    assert simulate("main", at=at).heard() == [heard]


def test_queue_metrics_come_from_the_call_settings(flows_dir, simulate):
    flows_dir("main", flow(
        "q",
        act("q", "UpdateContactTargetQueue", {"QueueId": "{{orders_queue_arn}}"}, "wait"),
        act("wait", "CheckMetricData", {"MetricType": "OldestContactInQueueAgeSeconds", "QueueId": "{{orders_queue_arn}}"},
            None, {"NoMatchingCondition": "short", "NoMatchingError": "short"}, [("NumberGreaterThan", "300", "long")]),
        say("long", "The wait is long.", "end"), say("short", "The wait is short.", "end"), end()))
    assert simulate("main", queue_wait_seconds=600).heard() == ["The wait is long."]
    assert simulate("main", queue_wait_seconds=60).heard() == ["The wait is short."]


def queue_metrics_flow(channel: str | None) -> dict:
    """Get queue metrics, then say the expected wait and the position when the metrics hold them."""
    return flow(
        "q",
        act("q", "UpdateContactTargetQueue", {"QueueId": "{{orders_queue_arn}}"}, "metrics"),
        act("metrics", "GetMetricData", {"QueueChannel": channel} if channel else {}, "wait", {"NoMatchingError": "end"}),
        act("wait", "Compare", {"ComparisonValue": "$.Metrics.Queue.EstimatedWaitTime"}, None,
            {"NoMatchingCondition": "position"}, [("NumberGreaterThan", "0", "say-wait")]),
        say("say-wait", "Wait $.Metrics.Queue.EstimatedWaitTime seconds.", "position"),
        act("position", "Compare", {"ComparisonValue": "$.Metrics.Contact.PositionInQueue"}, None,
            {"NoMatchingCondition": "end"}, [("NumberGreaterThan", "0", "say-position")]),
        say("say-position", "Number $.Metrics.Contact.PositionInQueue in line.", "end"),
        end())


def test_get_queue_metrics_gives_the_expected_wait_for_one_channel_and_the_position(flows_dir, simulate):
    flows_dir("main", queue_metrics_flow("Voice"))
    assert simulate("main", expected_wait_seconds=240, queue_position=3).heard() == [
        "Wait 240 seconds.", "Number 3 in line."]
    assert simulate("main").heard() == []  # Connect gave neither: the flow finds no value


def test_get_queue_metrics_names_the_queue_measured(flows_dir, simulate):
    flows_dir("main", flow(
        "q",
        act("q", "UpdateContactTargetQueue", {"QueueId": "{{orders_queue_arn}}"}, "metrics"),
        act("metrics", "GetMetricData", {}, "say", {"NoMatchingError": "end"}),
        say("say", "$.Metrics.Queue.Name has $.Metrics.Queue.Size waiting.", "arn"),
        act("arn", "Compare", {"ComparisonValue": "$.Metrics.Queue.ARN"}, None, {"NoMatchingCondition": "end"},
            [("Equals", "$.Queue.ARN", "same")]),
        say("same", "The metrics are the target queue's.", "end"), end()))
    call = simulate("main", queue_size=4)
    assert call.heard() == ["orders has 4 waiting.", "The metrics are the target queue's."]


def test_get_queue_metrics_gives_no_expected_wait_across_channels(flows_dir, simulate):
    flows_dir("main", queue_metrics_flow(None))  # the admin guide: the estimate comes for one channel only
    assert simulate("main", expected_wait_seconds=240).heard() == []


def test_loop_runs_its_count_then_is_done(flows_dir, simulate):
    flows_dir("main", flow(
        "loop",
        act("loop", "Loop", {"LoopCount": "2"}, None, None,
            [("Equals", "ContinueLooping", "again"), ("Equals", "DoneLooping", "done")]),
        say("again", "Again.", "loop"), say("done", "Done.", "end"), end()))
    assert simulate("main").heard() == ["Again.", "Again.", "Done."]


def test_flow_module_runs_and_returns(flows_dir, simulate):
    flows_dir("modules/greeting", flow(
        "hi", say("hi", "Hello from the module.", "set"),
        act("set", "UpdateContactAttributes", {"Attributes": {"greeted": "yes"}}, "back"),
        act("back", "EndFlowModuleExecution")))
    flows_dir("main", flow(
        "module", act("module", "InvokeFlowModule", {"FlowModuleId": "{{greeting_module_id}}"}, "after",
                      {"NoMatchingError": "end"}),
        say("after", "Back in main, greeted $.Attributes.greeted.", "end"), end()))
    call = simulate("main")
    assert call.heard() == ["Hello from the module.", "Back in main, greeted yes."]
    assert ("modules/greeting", "hi") in call.visited()


def test_transfer_to_flow_continues_in_the_other_flow(flows_dir, simulate):
    flows_dir("after_hours", flow("bye", say("bye", "We are closed; text us.", "end"), end()))
    flows_dir("main", flow("go", act("go", "TransferToFlow", {"ContactFlowId": "{{after_hours_flow_arn}}"}, None,
                                     {"NoMatchingError": "end"}), end()))
    call = simulate("main")
    assert call.heard() == ["We are closed; text us."]
    assert call.outcome.flow == "after_hours"


def test_long_wait_runs_the_customer_queue_flow_which_offers_a_callback(flows_dir, simulate):
    flows_dir("customer_queue", flow(
        "wait",
        act("wait", "CheckMetricData", {"MetricType": "OldestContactInQueueAgeSeconds"}, None,
            {"NoMatchingCondition": "hold", "NoMatchingError": "hold"}, [("NumberGreaterThan", "300", "offer")]),
        act("offer", "GetParticipantInput", {"Text": "Press 1 for a callback.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
            None, {"InputTimeLimitExceeded": "hold", "NoMatchingCondition": "hold", "NoMatchingError": "hold"},
            [("Equals", "1", "number")]),
        act("number", "UpdateContactCallbackNumber", {"CallbackNumber": "$.CustomerEndpoint.Address"}, "callback",
            {"InvalidCallbackNumber": "hold", "CallbackNumberNotDialable": "hold"}),
        act("callback", "CreateCallbackContact", {"QueueId": "{{orders_queue_arn}}", "InitialCallDelaySeconds": "5"},
            "thanks", {"NoMatchingError": "hold"}),
        say("thanks", "We will call you back.", "bye"),
        end("bye"),
        say("hold", "Please hold.", "done"),
        act("done", "EndFlowExecution")))
    flows_dir("main", menu_flow())
    call = simulate("main", keys="0 1", queue_wait_seconds=900)
    assert call.heard()[-2:] == ["Press 1 for a callback.", "We will call you back."]
    assert call.outcome.kind == t.CALLBACK and call.outcome.callback_number == "+15555550123"
    short = simulate("main", keys="0", queue_wait_seconds=30)
    assert short.heard()[-1] == "Please hold." and short.outcome.kind == t.TRANSFERRED


def test_no_op_blocks_are_noted(flows_dir, simulate):
    flows_dir("main", flow("log", act("log", "UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "Enabled"}, "end"), end()))
    call = simulate("main")
    assert any("flow logging enabled" in e.data.get("text", "") for e in call.events if e.kind == t.NOTE)


def test_the_transcript_says_where_flow_logging_is_off_and_on_again(flows_dir, simulate):
    flows_dir("main", flow("off",
                           act("off", "UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "Disabled"}, "hi"),
                           say("hi", "Hello.", "on"),
                           act("on", "UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "Enabled"}, "end"), end()))
    call = simulate("main")
    notes = [(e.action, e.data["text"]) for e in call.events if e.kind == t.NOTE and "flow logging" in e.data["text"]]
    assert [action for action, _ in notes] == ["off", "on"]
    assert notes[0][1].startswith("flow logging disabled: the blocks that follow are not written to the flow logs")
    assert notes[1][1].startswith("flow logging enabled")


@pytest.mark.parametrize("document, message", [
    (flow("x", act("x", "Start", {}, "end"), end()),
     "flow 'main', action 'x' (Start): 'Start' is not an action type of the Amazon Connect flow language"),
    (flow("x", say("x", "Hi.", "nowhere")), "the flow leads to action 'nowhere', which it does not define"),
    (flow("x", act("x", "MessageParticipant", {"Text": "Hi."})), "action 'x' (MessageParticipant): the call needs a path"),
    (flow("x", say("x", "Again.", "x")), "more than 50 steps"),
])
def test_a_flow_defect_stops_the_call_with_a_clear_message(flows_dir, simulate, document, message):
    flows_dir("main", document)
    call = simulate("main", max_steps=50)
    assert call.outcome.kind == t.STOPPED
    assert message in call.outcome.description


def test_a_placeholder_without_a_local_value_is_named(flows_dir, simulate):
    flows_dir("main", flow("x", say("x", "Visit {{mystery_setting}}.", "end"), end()))
    call = simulate("main")
    assert call.heard() == ["Visit {{mystery_setting}}."]
    assert any("placeholder {{mystery_setting}} has no local value" in e.data.get("text", "")
               for e in call.events if e.kind == t.NOTE)


def phone_input_flow(validation: dict) -> dict:
    return flow(
        "ask",
        act("ask", "GetParticipantInput",
            {"Text": "Enter your phone number, then press pound.", "StoreInput": "True", "InputTimeLimitSeconds": "10",
             "InputValidation": {"PhoneNumberValidation": validation}},
            "remember", {"InvalidPhoneNumber": "invalid", "NoMatchingError": "invalid"}),
        act("remember", "UpdateContactAttributes", {"Attributes": {"phone": "$.StoredCustomerInput"}}, "end",
            {"NoMatchingError": "end"}),
        say("invalid", "That is not a phone number.", "end"),
        end(),
    )


@pytest.mark.parametrize("validation, keys, stored", [
    ({"NumberFormat": "Local", "CountryCode": "ES"}, "612345678#", "+34612345678"),  # a Spanish mobile
    ({"NumberFormat": "Local", "CountryCode": "JP"}, "0312345678#", "+81312345678"),  # Tokyo, with its trunk 0
    ({"NumberFormat": "Local", "CountryCode": "US"}, "4155550123#", "+14155550123"),
    ({"NumberFormat": "E164"}, "34612345678#", "+34612345678"),  # a phone has no + key: the country code is keyed
])
def test_a_keyed_phone_number_is_stored_in_e164(flows_dir, simulate, validation, keys, stored):
    flows_dir("main", phone_input_flow(validation))
    call = simulate("main", keys=keys)
    assert call.outcome.attributes == {"phone": stored}


@pytest.mark.parametrize("validation, keys", [
    ({"NumberFormat": "Local", "CountryCode": "ES"}, "61234#"),  # too short for Spain
    ({"NumberFormat": "Local", "CountryCode": "JP"}, "031234567890123#"),  # too long for Japan
    ({"NumberFormat": "E164"}, "1415555#"),
])
def test_a_keyed_phone_number_of_impossible_length_takes_invalid_phone_number(flows_dir, simulate, validation, keys):
    flows_dir("main", phone_input_flow(validation))
    call = simulate("main", keys=keys)
    assert call.heard()[-1] == "That is not a phone number."
    assert "GetParticipantInput took its 'InvalidPhoneNumber' error branch" in t.render_text(call)


@pytest.mark.parametrize("caller, kind", [("+34612345678", t.CALLBACK), ("+1555555012", t.DISCONNECTED)])
def test_a_callback_number_must_be_a_possible_number(flows_dir, simulate, caller, kind):
    flows_dir("main", flow(
        "number",
        act("number", "UpdateContactCallbackNumber", {"CallbackNumber": "$.CustomerEndpoint.Address"}, "callback",
            {"InvalidCallbackNumber": "end", "CallbackNumberNotDialable": "end"}),
        act("callback", "CreateCallbackContact", {"QueueId": "{{orders_queue_arn}}"}, "end", {"NoMatchingError": "end"}),
        end()))
    call = simulate("main", caller=caller)
    assert call.outcome.kind == kind


def test_the_contacts_language_and_voice_last_across_a_transfer(flows_dir, simulate):
    flows_dir("first", flow("voice",
                            act("voice", "UpdateContactTextToSpeechVoice", {"TextToSpeechVoice": "Lupe", "TextToSpeechEngine": "Neural"},
                                "language", {"NoMatchingError": "language"}),
                            act("language", "UpdateContactData", {"LanguageCode": "es-US"}, "next", {"NoMatchingError": "next"}),
                            act("next", "TransferToFlow", {"ContactFlowId": "{{second_flow_arn}}"}, "end", {"NoMatchingError": "end"}),
                            end()))
    flows_dir("second", flow("hello", say("hello", "Language $.LanguageCode.", "end"), end()))
    transcript = simulate("first")
    assert transcript.heard() == ["Language es-US."]
    notes = [e.data["text"] for e in transcript.events if e.kind == t.NOTE]
    assert "voice: Lupe (Neural)" in notes and "language: es-US" in notes


def test_a_flows_variant_in_the_contacts_language_runs_with_its_translations(flows_dir, simulate):
    flows_dir("hello", flow("hi", say("hi", "Hello, this is {{language}}.", "bye"), say("bye", "Goodbye.", "end"), end()))
    (flows_dir.root / "prompts").mkdir()
    (flows_dir.root / "prompts" / "es-US.yaml").write_text("hello:\n  hi: Hola, esto es {{language}}.\n", encoding="utf-8")
    assert simulate("hello", language="es-US").heard() == ["Hola, esto es es-US.", "Goodbye."]  # no text: the default's
    assert simulate("hello_es_us").heard() == ["Hola, esto es es-US.", "Goodbye."]
