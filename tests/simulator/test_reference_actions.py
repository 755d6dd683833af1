"""Every action type of the flow-language reference runs in the simulator, on flows shaped as the
console exports them (tests/simulator/exports/, written here: UUID identifiers, string
parameters, designer metadata). Each fixture stands for a cause that stopped real exported flows
before: Lex bots, media streaming and Voice ID, views, loop prompts, profiles and cases,
third-party transfers, outbound call status, another team's Lambda, a module called by ARN.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flow_language import ACTIONS
from ivr.simulator import transcript as t
from ivr.simulator.blocks import HANDLED_TYPES
from ivr.simulator.callers import ScriptedCaller
from ivr.simulator.engine import CallSettings, Simulator
from ivr.simulator.flows import FlowLibrary, LocalResources
from ivr.simulator.lambdas import LocalLambdas
from ivr.simulator.local_data import FALLBACK_INTENT, data_from
from tests.simulator.conftest import WEEKDAY_MORNING

EXPORTS = Path(__file__).parent / "exports"

BOTS = {"bots": {"PARCELBOT": {"intents": {
    "TrackParcel": {"utterances": ["where is my parcel", "track parcel {ParcelNumber}"],
                    "slots": {"ParcelNumber": "[0-9]+"}},
    "TalkToSomeone": {"utterances": ["agent", "a person please"]},
}, "session_attributes": {"source": "local"}}}}


@pytest.fixture
def export_call(tmp_path):
    """export_call(name, keys="", say=(), data=None, stubs=None, **settings) -> Transcript."""
    root = tmp_path / "exports"
    shutil.copytree(EXPORTS, root)

    def run(name, keys="", say=(), data=None, stubs=None, **settings):
        functions = LocalLambdas("tests.simulator.lambdas", stubs=stubs)
        simulator = Simulator(FlowLibrary(root, LocalResources()), functions, data=data_from(data) if data else None)
        settings.setdefault("at", WEEKDAY_MORNING)
        with functions:
            return simulator.call(name, CallSettings(**settings), ScriptedCaller(keys, said=list(say)))

    return run


def notes(call: t.Transcript) -> list[str]:
    return [e.data["text"] for e in call.events if e.kind == t.NOTE]


def test_the_simulator_runs_exactly_the_action_types_of_the_catalog():
    """The catalog holds every action type of the flow-language reference: each has a handler,
    and no handler runs a type the validator would call unknown."""
    assert set(HANDLED_TYPES) == set(ACTIONS), sorted(set(HANDLED_TYPES) ^ set(ACTIONS))


# --- Lex -----------------------------------------------------------------------------------------

def test_the_bot_turns_what_the_caller_says_into_an_intent_and_slots(export_call):
    call = export_call("lex_order_bot", say=["Track parcel 4711!"], data=BOTS)
    assert call.heard()[-1] == "Parcel 4711 is on its way."
    assert any('says "Track parcel 4711!"' in (t.render_event(e) or "") for e in call.events)
    assert call.outcome.kind == t.DISCONNECTED


def test_an_intent_no_condition_names_is_no_matching_condition(export_call):
    call = export_call("lex_order_bot", say=["I would like a pizza"], data=BOTS)
    assert call.heard()[-1] == "Sorry, I did not catch that."
    assert any(FALLBACK_INTENT in text for text in notes(call))


def test_a_second_intent_routes_its_own_way(export_call):
    assert export_call("lex_order_bot", say=["A person, please!"], data=BOTS).heard()[-1] == "Connecting you with someone."


def test_silence_at_the_bot_is_input_time_limit_exceeded(export_call):
    call = export_call("lex_order_bot", say=["-"], data=BOTS)
    assert call.heard()[-1] == "I did not hear anything."


def test_keys_are_not_taken_by_the_bot(export_call):
    """--keys answer key prompts only: a bot turn with no sentence left is silence, whatever keys remain."""
    call = export_call("lex_order_bot", keys="1 2 3", data=BOTS)
    assert call.heard()[-1] == "I did not hear anything."


def test_a_bot_without_a_local_definition_takes_the_error_branch_and_says_why(export_call):
    call = export_call("lex_order_bot", say=["where is my parcel"])
    assert call.heard()[-1] == "Our assistant is not available."
    assert any("no local definition for Lex bot arn:aws:lex:" in text and "--data" in text for text in notes(call))


# --- services with no local meaning --------------------------------------------------------------

def test_streaming_voice_id_wisdom_tags_and_routing_criteria_go_on_and_say_not_simulated(export_call):
    call = export_call("services_not_simulated")
    assert call.outcome.kind == t.DISCONNECTED
    assert call.heard() == ["You are not enrolled yet.", "All set."]
    said = notes(call)
    assert "media streaming Enabled (not simulated)" in said
    assert any(text.startswith("CheckVoiceId: NotEnrolled (not simulated") for text in said)
    assert "previous participant set to AgentOnHold (not simulated)" in said
    assert sum("(not simulated" in text for text in said) == 7


def test_a_view_takes_its_first_action(export_call):
    call = export_call("agent_view")
    assert call.heard() == ["The agent confirmed: Confirm."]
    assert any(text.startswith("view detail shown (not simulated)") for text in notes(call))


def test_loop_prompts_in_a_queue_flow_play_until_the_agent_answers(export_call):
    call = export_call("queue_loop_prompts")
    assert call.heard()[0] == "Thanks for holding, your call matters to us."
    assert call.heard()[1].startswith("(plays the recorded prompt arn:aws:connect:")
    assert call.outcome.kind == t.DISCONNECTED  # run directly, the flow goes on to its disconnect


def test_a_third_party_transfer_that_does_not_continue_ends_the_call(export_call):
    call = export_call("third_party_transfer")
    assert call.outcome.kind == t.TRANSFERRED
    assert "+15555550177" in call.outcome.description


def test_the_outbound_call_status_is_answered_by_a_person(export_call):
    assert export_call("outbound_status").heard() == ["This is a reminder of your appointment tomorrow."]


# --- profiles and cases --------------------------------------------------------------------------

PEOPLE = {"profiles": [{"ProfileId": "p-100", "FirstName": "Ana", "PhoneNumber": "+15555550123", "AccountNumber": "42"}],
          "cases": [{"case_id": "c-7", "customer_id": "p-100", "title": "Broken kettle", "status": "open"}]}


def test_a_known_caller_is_greeted_and_hears_their_last_case(export_call):
    call = export_call("profiles_and_cases", data=PEOPLE)
    assert call.heard() == ["Hello Ana.", "Your case Broken kettle is open."]


def test_an_unknown_caller_gets_a_new_profile_and_a_new_case(export_call):
    call = export_call("profiles_and_cases", data=PEOPLE, caller="+15555550999")
    assert call.heard()[0] == "Welcome, new caller."
    assert call.heard()[1].startswith("We opened case ")


def test_of_several_cases_the_last_updated_one_is_heard(export_call):
    later = {"case_id": "c-8", "customer_id": "p-100", "title": "Late parcel", "status": "pending"}
    call = export_call("profiles_and_cases", data={**PEOPLE, "cases": [*PEOPLE["cases"], later]})
    assert call.heard() == ["Hello Ana.", "Your case Late parcel is pending."]
    assert "case c-8 found" in notes(call)


def test_two_profiles_with_the_callers_number_are_multiple_found(export_call):
    twins = {"profiles": PEOPLE["profiles"] + [{"ProfileId": "p-101", "PhoneNumber": "+15555550123"}]}
    assert export_call("profiles_and_cases", data=twins).heard() == ["Several profiles share your number."]


def test_without_a_data_file_no_profile_is_found_and_the_transcript_says_so(export_call):
    call = export_call("profiles_and_cases")
    assert call.heard()[0] == "Welcome, new caller."
    assert any("no local customer profiles (give them with --data FILE)" in text for text in notes(call))


# --- Lambdas, modules, store input ----------------------------------------------------------------

def test_a_lambda_with_no_local_code_answers_from_its_stub(export_call):
    call = export_call("foreign_lambda", stubs={"crmLookup": {"tier": "gold"}})
    assert call.heard() == ["You are a gold member."]
    assert call.dips()[0].data["outcome"] == "ok"


def test_a_lambda_with_no_code_and_no_stub_takes_its_error_branch_with_a_note(export_call):
    call = export_call("foreign_lambda")
    assert call.heard() == ["We could not look you up."]
    assert any("no local code or stub for Lambda arn:aws:lambda:us-east-1:444455556666:function:crmLookup" in text
               for text in notes(call))


def test_a_stub_that_connect_would_refuse_is_an_invalid_response(export_call):
    call = export_call("foreign_lambda", stubs={"crmLookup": {"tier": {"nested": "no"}}})
    assert call.heard() == ["We could not look you up."]
    assert call.dips()[0].data["outcome"] == "invalid-response"


def test_a_module_called_directly_returns_with_its_outputs(export_call):
    call = export_call("greeting_module")
    assert call.outcome.kind == t.RETURNED
    assert call.outcome.outputs == {"greeted": "yes"}
    assert "OUTPUTS: greeted=yes" in t.render_text(call)


def test_a_module_called_by_its_arn_runs_from_the_file_beside_the_flow(export_call):
    call = export_call("calls_module_by_arn")
    assert call.heard() == ["Hello from the module.", "Back in the flow."]


def test_a_module_that_is_not_there_takes_the_error_branch(export_call):
    call = export_call("calls_missing_module")
    assert call.heard() == ["The module is not there."]
    assert any("is not one of the local flows" in text for text in notes(call))


@pytest.mark.parametrize("sentence, intent, slots", [
    ("track parcel 12", "TrackParcel", {"ParcelNumber": "12"}),
    ("TRACK PARCEL abc", FALLBACK_INTENT, {}),  # the slot's pattern wants digits
    ("talktosomeone", "TalkToSomeone", {}),  # the intent's own name
    ("", FALLBACK_INTENT, {}),
])
def test_utterances_match_with_case_and_punctuation_aside(sentence, intent, slots):
    bot = data_from(BOTS).bot(["PARCELBOT"])
    assert bot is not None and bot.understand(sentence) == (intent, slots)


# --- channels ------------------------------------------------------------------------------------

def test_voice_only_blocks_take_their_error_branch_in_a_chat(export_call):
    call = export_call("services_not_simulated", channel="CHAT")
    assert call.heard() == [] and call.outcome.kind == t.DISCONNECTED
    assert "UpdateContactMediaStreamingBehavior works on voice contacts only: a CHAT contact takes its error " \
           "branch" in notes(call)


def test_store_customer_input_is_voice_only(export_call):
    call = export_call("store_input_timeout", keys="123#", channel="CHAT")
    assert call.heard()[-1] == "Something went wrong."


def test_loop_prompts_with_no_next_action_hold_the_call_there(export_call):
    call = export_call("hold_loop_prompts")
    assert call.heard() == ["Please stay on the line."]
    assert call.outcome.kind == t.ENDED and "the call waits here" in call.outcome.description


def test_a_guide_that_comes_round_to_its_view_again_ends_the_contact(export_call):
    call = export_call("agent_guide_loop")
    assert call.outcome.kind == t.ENDED and "view form comes round again" in call.outcome.description
    assert call.outcome.attributes == {"notes_saved": "Save"}


def test_a_store_input_prompt_that_times_out_is_success_with_the_input_timeout(export_call):
    """Store customer input: no keys takes the Success branch with $.StoredCustomerInput "Timeout"."""
    assert export_call("store_input_timeout", keys="-").heard()[-1] == "You did not enter anything."
    assert export_call("store_input_timeout", keys="42#").heard()[-1] == "Thank you."



def test_blocks_for_one_channel_take_the_branch_their_pages_name_on_another(export_call):
    """Amazon Q in Connect (CreateWisdomSession) is for calls; recording and analytics with a
    VoiceBehavior, and media processing (chats), take ChannelMismatch on the other channel; Resume
    contact works on tasks only, so a call or a chat takes its error branch."""
    voice = export_call("channel_bound_blocks")
    assert voice.heard() == ["Message processing is for chats only.", "Only a task can be resumed."]
    assert "Wisdom session created (not simulated)" in notes(voice)
    chat = export_call("channel_bound_blocks", channel="CHAT")
    assert chat.heard() == ["Amazon Q in Connect is for calls only.", "Voice recording does not apply to this chat.",
                            "Only a task can be resumed."]
    assert "ResumeContact works on TASK contacts only: a CHAT contact takes its NoMatchingError branch" in notes(chat)
