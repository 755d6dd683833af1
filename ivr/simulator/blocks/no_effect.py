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
    "UpdateContactTextToSpeechVoice": "text-to-speech voice set",
    "UpdateContactRoutingBehavior": "routing behavior set",
    "UpdateContactData": "contact data updated",
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
