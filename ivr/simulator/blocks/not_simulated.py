"""Blocks whose service has no local meaning: media streaming, Voice ID, Wisdom (Q in Connect),
contact tags, routing criteria, outbound calls, third-party transfers, agent views.

Each takes the branch Connect documents for success (or its default result), sets the result
attributes the reference documents to plausible local values, and says in the transcript that
it was not simulated. A block the reference supports on one channel only takes the error branch
its page names on any other.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flow_language.model import Action
from ivr.simulator import transcript as t
from ivr.simulator.blocks.registry import NEXT, Branch, block, error
from phone_numbers import is_e164

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame

# Blocks the reference supports for voice contacts only: a chat contact takes the error branch.
VOICE_ONLY = frozenset({"UpdateContactMediaStreamingBehavior", "StartVoiceIdStream", "CheckVoiceId",
                        "UpdatePreviousContactParticipantState", "CheckOutboundCallStatus",
                        "TransferParticipantToThirdParty", "CreateWisdomSession"})
# Blocks the reference supports on one other channel only, and the error branch a contact on any
# other channel takes. The simulator's contacts are voice or chat: ResumeContact (tasks) always fails.
ONE_CHANNEL = {"ResumeContact": ("TASK", "NoMatchingError"), "UpdateContactMediaProcessing": ("CHAT", "ChannelMismatch")}


def voice_only(call: Call, frame: Frame, action: Action) -> bool:
    """True (with a note) when this voice-only block runs in a contact of another channel."""
    if action.type in VOICE_ONLY and call.settings.channel != "VOICE":
        call.note(frame, action, f"{action.type} works on voice contacts only: a {call.settings.channel} contact "
                                 "takes its error branch")
        return True
    return False


def wrong_channel(call: Call, frame: Frame, action: Action) -> str | None:
    """The error branch (with a note) a one-channel block takes on this call's channel, else None."""
    channel, branch = ONE_CHANNEL.get(str(action.type), (call.settings.channel, ""))
    if channel == call.settings.channel:
        return None
    call.note(frame, action, f"{action.type} works on {channel} contacts only: a {call.settings.channel} contact "
                             f"takes its {branch} branch")
    return branch


# What each would have done in AWS; the block goes on by its NextAction.
DONE_IN_AWS = {
    "UpdateContactMediaStreamingBehavior": "media streaming {MediaStreamingState}",
    "UpdateContactMediaProcessing": "media processing updated",
    "StartVoiceIdStream": "Voice ID audio stream started",
    "UpdateRoutingCriteria": "routing criteria set",
    "TagContact": "contact tagged",
    "UnTagContact": "contact tags removed",
    "UpdatePreviousContactParticipantState": "previous participant set to {PreviousContactParticipantState}",
    "ResumeContact": "contact resumed",
    "CompleteOutboundCall": "outbound call completed",
    "StartOutboundChatContact": "outbound chat contact started",
    "CreateWisdomSession": "Wisdom session created",
}


@block(*DONE_IN_AWS)
def not_simulated(call: Call, frame: Frame, action: Action) -> Branch:
    if voice_only(call, frame, action):
        return error("NoMatchingError")
    mismatch = wrong_channel(call, frame, action)
    if mismatch:
        return error(mismatch)
    p = action.parameters
    what = DONE_IN_AWS[str(action.type)].format_map(_Parameters(p))
    if action.type == "CreateWisdomSession":
        call.contact.namespaces["Wisdom"] = {"SessionArn": f"{call.contact.instance_arn}/wisdom-session/local"}
    call.note(frame, action, f"{what} (not simulated)")
    return NEXT


class _Parameters(dict):
    def __init__(self, parameters: Mapping) -> None:
        super().__init__({str(k): v for k, v in parameters.items() if isinstance(v, (str, int))})

    def __missing__(self, key: str) -> str:
        return "set"


# Conditions blocks: the local result, and why.
LOCAL_RESULTS = {
    "CheckVoiceId": {"voiceAuthentication": "NotEnrolled", "fraudDetection": "NotInWatchlist",
                     "enrollmentStatus": "NotEnrolled"},
    "CheckOutboundCallStatus": {"": "CallAnswered"},
}


@block(*LOCAL_RESULTS)
def check_without_a_service(call: Call, frame: Frame, action: Action) -> Branch:
    if voice_only(call, frame, action):
        return error("NoMatchingError")
    results = LOCAL_RESULTS[str(action.type)]
    option = str(action.parameters.get("CheckVoiceIdOption", ""))
    result = results.get(option, next(iter(results.values())))
    if action.type == "CheckVoiceId":
        call.contact.namespaces["VoiceId"] = {"Authentication": {"Status": result}}
    call.note(frame, action, f"{action.type}: {result} (not simulated: no caller has a voice print or an "
                             "answering machine here)" if action.type == "CheckVoiceId" else
              f"{action.type}: {result} (not simulated)")
    return call.match(frame, action, result)


@block("ShowView")
def show_view(call: Call, frame: Frame, action: Action) -> Branch:
    """A view (a form or card on the agent's or customer's screen): nobody looks at it here, so
    the person takes the view's first action (its first condition), else the flow goes on."""
    resource = action.parameters.get("ViewResource")
    view = resource.get("Id", "?") if isinstance(resource, Mapping) else "?"
    shown = call.views_shown
    if (frame.flow.name, action.identifier) in shown:  # a guide comes round again: the person is done
        call.end(t.ENDED, f"view {view} comes round again: the person closes it and the contact ends "
                          "(not simulated further)", frame, action)
    shown.add((frame.flow.name, action.identifier))
    chosen = next((entry.operand for entry in action.conditions if entry.operand), None)
    call.contact.namespaces["Views"] = {"Action": chosen or "", "ViewResultData": {}}
    call.note(frame, action, f"view {view} shown (not simulated): "
              + (f"the first action, '{chosen}', is taken" if chosen else "the flow goes on"))
    if chosen:
        return call.match(frame, action, chosen)
    return NEXT if action.next_action else error("NoMatchingError")


@block("TransferParticipantToThirdParty")
def transfer_participant_to_third_party(call: Call, frame: Frame, action: Action) -> Branch:
    if voice_only(call, frame, action):
        return error("NoMatchingError")
    p = action.parameters
    number = str(call.resolve(p.get("ThirdPartyPhoneNumber", ""), frame, action))
    if number and not is_e164(number):
        call.note(frame, action, f"{number} is not a number in E.164: the transfer fails")
        return error("NoMatchingError")
    target = number or "a voice connector"
    if str(p.get("ContinueFlowExecution", "True")).lower() == "false":
        call.end(t.TRANSFERRED, f"transferred to {target} (third party; not simulated further)", frame, action)
    call.note(frame, action, f"{target} called and the call with them ended (not simulated): the flow goes on")
    return NEXT
