"""What happened on a simulated call, as events; rendered as text for a person or JSON for a tool."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

# Event kinds
FLOW = "flow"          # entered a flow or module
SAY = "say"            # the caller hears something (a message or an input prompt)
INPUT = "input"        # the caller pressed keys, or let the prompt time out
DIP = "dip"            # a Lambda ran
TEXT = "text"          # a text (SMS) reached the caller's phone
ATTRIBUTES = "attributes"  # contact attributes set
NOTE = "note"          # something the simulator did not play (a no-op block, a branch taken on an error)
STEP = "step"          # one action run (shown with --trace)
END = "end"

# Outcome kinds
DISCONNECTED = "disconnected"
TRANSFERRED = "transferred"
CALLBACK = "callback"
HUNG_UP = "hung-up"
ENDED = "ended"
RETURNED = "returned"  # a flow module called directly returned (EndFlowModuleExecution), with its outputs
STOPPED = "stopped"  # the simulator stopped the call: a flow defect (unknown action, undefined path, endless loop)


@dataclass
class Event:
    kind: str
    flow: str
    action: str | None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "flow": self.flow, "action": self.action, **self.data}


@dataclass
class Outcome:
    kind: str
    description: str
    queue: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    callback_number: str | None = None
    flow: str | None = None
    action: str | None = None
    outputs: dict[str, str] | None = None  # a returned module's output parameters

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.outputs is None:
            del data["outputs"]
        return data


@dataclass
class Transcript:
    flow: str
    caller: str | None
    at: str
    events: list[Event] = field(default_factory=list)
    outcome: Outcome | None = None
    listener: Callable[[Event], None] | None = field(default=None, repr=False)

    def add(self, event: Event) -> Event:
        self.events.append(event)
        if self.listener:
            self.listener(event)
        return event

    # views used by tests and scenario checks -----------------------------------------------
    def heard(self) -> list[str]:
        return [e.data["text"] for e in self.events if e.kind == SAY]

    def dips(self) -> list[Event]:
        return [e for e in self.events if e.kind == DIP]

    def visited(self) -> list[tuple[str, str]]:
        return [(e.flow, e.action) for e in self.events if e.kind == STEP and e.action is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "caller": self.caller,
            "at": self.at,
            "heard": self.heard(),
            "events": [e.to_dict() for e in self.events],
            "outcome": self.outcome.to_dict() if self.outcome else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


# --- text --------------------------------------------------------------------------------------


def _short(mapping: Mapping[str, Any], limit: int = 80) -> str:
    parts = []
    for key, value in mapping.items():
        text = str(value)
        if len(text) > limit:
            text = text[: limit - 3] + "..."
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def render_event(event: Event, trace: bool = False) -> str | None:
    """One event as a line (or a few) of the text transcript; None when not shown."""
    d = event.data
    if event.kind == SAY:
        return f"  IVR:    {d['text']}"
    if event.kind == INPUT:
        if d.get("timeout"):
            silence = "says nothing; the bot" if d.get("speech") else "presses nothing; the prompt"
            return f"  CALLER: ({silence} times out after {d.get('seconds')} s)"
        if "said" in d:
            return f'  CALLER: says "{d["said"]}"'
        return f"  CALLER: presses {d['shown']}"
    if event.kind == DIP:
        mode = " (asynchronous: the caller does not wait)" if d.get("asynchronous") else ""
        head = f"  DIP:    {d['function']}({_short(d.get('parameters') or {})}){mode}"
        if d["outcome"] == "ok":
            tail = f"-> {_short(d.get('response') or {})} in {d['elapsed_ms']} ms"
        else:
            tail = f"-> {d['outcome'].upper()}: {d.get('error')} ({d['elapsed_ms']} ms)"
        logs = ""
        if trace and d.get("logs"):
            logs = "".join(f"\n          | {line}" for line in d["logs"].splitlines())
        return f"{head}\n          {tail}{logs}"
    if event.kind == TEXT:
        return f"  TEXT:   [text to ...{str(d['to'])[-2:]}] {d['text']}"
    if event.kind == ATTRIBUTES:
        return f"  SET:    {_short(d['attributes'])}"
    if event.kind == NOTE:
        return f"  NOTE:   {d['text']}" if trace or not d.get("detail") else None
    if event.kind == FLOW:
        return f"  --- {d['what']} {event.flow}"
    if event.kind == STEP:
        if not trace:
            return None
        return f"  . {event.flow}:{event.action} {d['type']}" + (f" [{d['summary']}]" if d.get("summary") else "")
    if event.kind == END:
        return None
    return None


def render_outcome(outcome: Outcome) -> str:
    lines = [f"OUTCOME: {outcome.description}"]
    if outcome.outputs:
        lines.append("OUTPUTS: " + ", ".join(f"{k}={v}" for k, v in sorted(outcome.outputs.items())))
    if outcome.attributes:
        lines.append("ATTRIBUTES:")
        width = max(len(k) for k in outcome.attributes)
        for key in sorted(outcome.attributes):
            lines.append(f"  {key.ljust(width)}  {outcome.attributes[key]}")
    return "\n".join(lines)


def header(transcript: Transcript) -> str:
    caller = transcript.caller or "a withheld number"
    return f"Call to flow '{transcript.flow}' from {caller} at {transcript.at}"


def render_text(transcript: Transcript, trace: bool = False) -> str:
    lines = [header(transcript)]
    for event in transcript.events:
        line = render_event(event, trace)
        if line is not None:
            lines.append(line)
    if transcript.outcome:
        lines.append(render_outcome(transcript.outcome))
    return "\n".join(lines)
