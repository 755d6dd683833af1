"""Lex bots (ConnectParticipantWithLexBot): the bot answers from the call's data file.

One turn per block: the caller hears the block's prompt and says one sentence (`--say`), the
bot of that name turns it into an intent and slots, and the flow branches on the intent's name
as Connect does ($.Lex.IntentName, $.Lex.Slots, $.Lex.SessionAttributes are set for the blocks
that follow). Silence is InputTimeLimitExceeded; an intent no condition names is
NoMatchingCondition; a bot with no local definition is the error branch, with a note.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flow_language.model import Action
from ivr.simulator import transcript as t
from ivr.simulator.blocks.prompts import say
from ivr.simulator.blocks.registry import Branch, block, error

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame


def bot_names(action: Action) -> list[str]:
    """What the block calls its bot: the V2 alias ARN, or the V1 bot's name and alias."""
    v2, v1 = (_mapping(action.parameters.get(key)) for key in ("LexV2Bot", "LexBot"))
    return [str(name) for name in (v2.get("AliasArn"), v1.get("Name"), v1.get("Alias")) if name]


@block("ConnectParticipantWithLexBot")
def connect_participant_with_lex_bot(call: Call, frame: Frame, action: Action) -> Branch:
    names = bot_names(action)
    bot = call.data.bot(names)
    prompt = say(call, frame, action) or ""
    if bot is None:
        where = f" in {call.data.source}" if call.data.source else " (give the bot's intents with --data FILE)"
        call.note(frame, action, f"no local definition for Lex bot {names[0] if names else '(unnamed)'}{where}: "
                                 "the bot cannot answer")
        return error("NoMatchingError")
    answer = call.caller.speak(prompt)
    if answer is not None and answer.hang_up:
        call.emit(t.INPUT, frame, action, shown="(hangs up)", hang_up=True)
        call.end(t.HUNG_UP, "the caller hung up", frame, action)
    if answer is None or not answer.said:
        call.emit(t.INPUT, frame, action, timeout=True, seconds=_seconds(action), speech=True)
        return error("InputTimeLimitExceeded")
    intent, slots = bot.understand(answer.said)
    call.emit(t.INPUT, frame, action, shown=answer.said, said=answer.said)
    session = {**bot.session_attributes,
               **_strings(call.resolve(_mapping(action.parameters.get("LexSessionAttributes")), frame, action))}
    call.contact.namespaces["Lex"] = {"IntentName": intent, "Slots": slots, "SessionAttributes": session,
                                      "IntentConfidence": {"Score": "1.0" if slots or intent != "FallbackIntent"
                                                           else "0.0"}}
    call.note(frame, action, f"Lex bot {bot.name}: intent {intent}"
                             + (f" ({', '.join(f'{k}={v}' for k, v in slots.items())})" if slots else ""))
    return call.match(frame, action, intent)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _seconds(action: Action) -> str:
    limit = action.parameters.get("LexTimeoutSeconds")
    return str(limit.get("Text", 5)) if isinstance(limit, Mapping) else "5"


def _strings(values: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, Mapping) else {}
