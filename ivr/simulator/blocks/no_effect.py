"""Blocks that change nothing a caller or a later block would notice in a local run: each is noted
in the transcript and the flow goes on by its NextAction."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flow_language.model import Action
from ivr.simulator.blocks.registry import NEXT, Branch, block, error

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame

# What each would do in AWS.
EFFECT_IN_AWS = {
    "UpdateContactRecordingBehavior": "call recording behavior set",
    "UpdateContactRoutingBehavior": "routing behavior set",
    "CreateTask": "a task would be created",
}


@block(*EFFECT_IN_AWS)
def no_effect(call: Call, frame: Frame, action: Action) -> Branch:
    call.note(frame, action, f"{action.type}: {EFFECT_IN_AWS[str(action.type)]} (no effect in a local call)")
    return NEXT


# UpdateContactRecordingAndAnalyticsBehavior's channel behaviors, and the channel each is for.
BEHAVIOR_CHANNELS = {"VoiceBehavior": "VOICE", "ChatBehavior": "CHAT"}


@block("UpdateContactRecordingAndAnalyticsBehavior")
def update_contact_recording_and_analytics_behavior(call: Call, frame: Frame, action: Action) -> Branch:
    """The reference: a contact whose channel is not the one the behavior is for takes ChannelMismatch."""
    for behavior, channel in BEHAVIOR_CHANNELS.items():
        if behavior in action.parameters and call.settings.channel != channel:
            call.note(frame, action, f"{behavior} is for {channel} contacts: a {call.settings.channel} contact "
                                     "takes the ChannelMismatch branch")
            return error("ChannelMismatch")
    call.note(frame, action, f"{action.type}: recording and analytics behavior set (no effect in a local call)")
    return NEXT


@block("UpdateFlowLoggingBehavior")
def update_flow_logging_behavior(call: Call, frame: Frame, action: Action) -> Branch:
    """Noted whichever way it goes: a reader of the transcript sees which blocks Connect would
    write to the instance's flow logs (CloudWatch Logs) and which it would keep out of them."""
    if action.parameters.get("FlowLoggingBehavior") == "Disabled":
        call.note(frame, action, "flow logging disabled: the blocks that follow are not written to the flow logs "
                                 "in AWS, until it is enabled again")
    else:
        call.note(frame, action, "flow logging enabled: the blocks that follow are written to the flow logs "
                                 "(CloudWatch Logs in AWS)")
    return NEXT


@block("UpdateContactTextToSpeechVoice")
def update_contact_text_to_speech_voice(call: Call, frame: Frame, action: Action) -> Branch:
    """The voice every later prompt of the contact is spoken in, whatever flow plays it."""
    voice = str(call.resolve(action.parameters.get("TextToSpeechVoice", ""), frame, action))
    if not voice:  # Connect would take the error branch; older exports define none, and the voice stays as it was
        call.note(frame, action, f"voice: no voice named, it stays {call.contact.voice}")
        return NEXT
    call.contact.voice = voice
    engine = action.parameters.get("TextToSpeechEngine")
    call.note(frame, action, f"voice: {voice}" + (f" ({call.resolve(engine, frame, action)})" if engine else ""))
    return NEXT


@block("UpdateContactData")
def update_contact_data(call: Call, frame: Frame, action: Action) -> Branch:
    """LanguageCode is the contact's language ($.LanguageCode) from here on; the rest has no local effect."""
    language = action.parameters.get("LanguageCode")
    if language:
        call.contact.language = str(call.resolve(language, frame, action))
        call.note(frame, action, f"language: {call.contact.language}")
    others = sorted(set(action.parameters) - {"LanguageCode"})
    if others:
        call.note(frame, action, f"UpdateContactData: {', '.join(others)} updated (no effect in a local call)")
    return NEXT
