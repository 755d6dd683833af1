"""What the caller hears and keys: MessageParticipant, MessageParticipantIteratively and
GetParticipantInput."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flow_language.model import Action, static_integer
from ivr.simulator import transcript as t
from ivr.simulator.blocks.registry import NEXT, RETURN, Branch, block, condition, error
from ivr.simulator.callers import Prompt
from ivr.simulator.encrypted_input import encrypt_as_connect
from ivr.simulator.values import ssml_to_text, tidy
from phone_numbers import to_e164

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame


def say(call: Call, frame: Frame, action: Action, message: Mapping[str, Any] | None = None) -> str | None:
    """Speak the block's Text, SSML, prompt or media (or those of one of its `message`s); None
    when it has none of them."""
    p = action.parameters if message is None else message
    if "SSML" in p:
        text = ssml_to_text(str(call.resolve(p["SSML"], frame, action)))
    elif "Text" in p:
        text = tidy(str(call.resolve(p["Text"], frame, action)))
    elif "PromptId" in p:
        text = f"(plays the recorded prompt {p['PromptId']})"
    elif "Media" in p:
        text = f"(plays media {p['Media']})"
    else:
        return None
    call.emit(t.SAY, frame, action, text=text)
    return text


@block("MessageParticipant")
def message_participant(call: Call, frame: Frame, action: Action) -> Branch:
    if say(call, frame, action) is None:
        call.stop(frame, action, "the message has no Text, SSML, PromptId or Media")
    return NEXT


@block("MessageParticipantIteratively")
def message_participant_iteratively(call: Call, frame: Frame, action: Action) -> Branch:
    """The "Loop prompts" block: its messages play in turn, over and over, until something
    interrupts them. In a customer queue flow that is the agent answering. A block with no
    NextAction (a hold flow's) never ends by itself: the call waits there. Otherwise the flow goes
    on once the caller has heard them all."""
    messages = action.parameters.get("Messages")
    spoken = [say(call, frame, action, m) for m in messages if isinstance(m, Mapping)] if isinstance(messages, list) else []
    if not any(text is not None for text in spoken):
        return error("NoMatchingError")
    if call.in_queue_flow:
        call.note(frame, action, "the messages repeat until an agent answers")
        return RETURN
    if not action.next_action:
        call.end(t.ENDED, "the messages repeat until the caller is answered or hangs up (the call waits here)",
                 frame, action)
    call.note(frame, action, "the messages would repeat until interrupted; the flow goes on", detail=True)
    return NEXT


@block("GetParticipantInput")
def get_participant_input(call: Call, frame: Frame, action: Action) -> Branch:
    p = action.parameters
    text = say(call, frame, action) or ""
    store = str(p.get("StoreInput", "False")).lower() == "true"
    if store and call.settings.channel != "VOICE":
        call.note(frame, action, f"Store customer input works on voice contacts only: a {call.settings.channel} "
                                 "contact takes its error branch")
        return error("NoMatchingError")
    seconds = static_integer(p.get("InputTimeLimitSeconds")) or 5
    validation = _mapping(p.get("InputValidation"))
    custom = _mapping(validation.get("CustomValidation"))
    dtmf = _mapping(p.get("DTMFConfiguration"))
    prompt = Prompt(text, store, seconds, static_integer(custom.get("MaximumLength")) or 20,
                    str(dtmf.get("InputTerminationSequence") or "#"), encrypted="InputEncryption" in p)
    answer = call.caller.answer(prompt)
    if answer is not None and answer.waited_seconds:
        call.elapsed_seconds += answer.waited_seconds
        call.note(frame, action, f"the caller waits {_duration(answer.waited_seconds)} before answering")
    if answer is not None and answer.hang_up:
        call.emit(t.INPUT, frame, action, shown="(hangs up)", hang_up=True)
        call.end(t.HUNG_UP, "the caller hung up", frame, action)
    if answer is None or not answer.keys:
        call.emit(t.INPUT, frame, action, timeout=True, seconds=seconds)
        if store:  # Store customer input: no keys is still Success, with the input "Timeout"
            call.contact.stored_input = "Timeout"
            return NEXT
        return error("InputTimeLimitExceeded")
    shown = "*" * len(answer.keys) + " (encrypted)" if prompt.encrypted else answer.keys
    call.emit(t.INPUT, frame, action, shown=shown, keys="" if prompt.encrypted else answer.keys)
    if store:
        value = answer.keys
        if "PhoneNumberValidation" in validation:
            number = keyed_phone_number(answer.keys, _mapping(validation["PhoneNumberValidation"]))
            if number is None:
                return error("InvalidPhoneNumber")
            value = number
        call.contact.stored_input = _encrypted(call, frame, action, value) if prompt.encrypted else value
        return NEXT
    for entry in action.conditions:
        if entry.operator == "Equals" and entry.operand == answer.keys:
            return condition(entry.next_action)
    return error("NoMatchingCondition")


def _encrypted(call: Call, frame: Frame, action: Action, value: str) -> str:
    """What Connect stores for `value` under the block's InputEncryption (its certificate and key id);
    a stand-in, noted, when the block's Key is no certificate the simulator can read."""
    encryption = _mapping(action.parameters.get("InputEncryption"))
    try:
        return encrypt_as_connect(value, str(encryption.get("Key", "")), str(encryption.get("EncryptionKeyId", "")))
    except ValueError:
        call.note(frame, action, "InputEncryption.Key is not an X.509 certificate: the input is stored as a stand-in, "
                                 "which no Lambda can decrypt")
        return f"(encrypted: {len(value)} digits)"


def keyed_phone_number(keys: str, rule: Mapping[str, Any]) -> str | None:
    """The number the caller keyed, in E.164, when it passes the block's PhoneNumberValidation; else None.

    NumberFormat "Local": the national number of the country CountryCode (ISO 3166 alpha-2) names.
    NumberFormat "E164": country code and number; a phone has no + key, so the caller keys the digits.
    """
    digits = "".join(key for key in keys if key.isdigit())
    if rule.get("NumberFormat") == "Local":
        return to_e164(digits, str(rule.get("CountryCode", "")) or None)
    return to_e164(f"+{digits}")


def _duration(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
