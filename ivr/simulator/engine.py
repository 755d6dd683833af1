"""The interpreter: walks our flows action by action the way Amazon Connect would for one call.

`Simulator(library, lambdas, ...)` holds what does not change between calls (the flows, the local
Lambda runner, hours of operation); `Simulator.call(flow, settings, caller)` runs one call and
returns its `Transcript`. Whatever the flow does, a call ends with an `Outcome`: a defect in the
flow (a Type that is not in the flow language, a branch the flow does not define, an endless loop,
a block shaped so that it cannot run) ends it with kind `stopped` and a message naming the action,
never with an exception. A module called directly ends `returned`, with its outputs.

This module keeps the call itself: the walk from action to action, the frames of flows and
modules, the contact's state and the transcript. What each block type does is in
`ivr.simulator.blocks`, one module per family, found by the action's Type.
"""
from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn

from flow_language.model import Action
from ivr.simulator import lambdas as local_lambdas
from ivr.simulator import transcript as t
from ivr.simulator.blocks import RETURN, Branch, condition, error, handler_for
from ivr.simulator.callers import Caller
from ivr.simulator.flows import Flow, FlowLibrary, FlowNotFound, FlowUnreadable, error_target, summary
from ivr.simulator.hours import Hours
from ivr.simulator.local_data import LocalData
from ivr.simulator.values import UnknownOperator, condition_true, resolve_deep

# The customer queue flow's 60 rounds of a dozen actions each, and the flows before it, fit well within.
DEFAULT_MAX_STEPS = 1000


@dataclass
class CallSettings:
    """What the caller and the world look like for one call."""

    at: datetime  # the simulated clock (time zone aware)
    caller: str | None = "+15555550123"
    dialed: str = "+18005550100"
    queue_wait_seconds: int = 0  # age of the oldest contact in queue
    queue_size: int = 0
    # What the Get queue metrics block (GetMetricData) gives beyond those, when Connect has it: the
    # queue's estimated wait (only for one channel, QueueChannel) and the contact's position (1: next).
    expected_wait_seconds: int | None = None
    queue_position: int | None = None
    agents_available: int = 1
    queue_full: bool = False  # TransferContactToQueue takes QueueAtCapacity
    hold_rounds: int = 1  # times the customer queue flow comes round before an agent answers
    channel: str = "VOICE"
    language: str = "en-US"  # the contact's at the start; the call starts in the flow's variant in it
    max_steps: int = DEFAULT_MAX_STEPS
    seed: int = 0  # DistributeByPercentage draws
    # Blocks that fail on Connect's side ("flow:action"): they take their error branch
    # (NoMatchingError) instead of running, as when a transfer or a queue update fails in AWS.
    fail_actions: frozenset[str] = frozenset()
    # Hours for this call only, by the name a flow checks: a queue's name for the queue's own hours
    # (queues taken by ARN keep the hours they have, which need not be the business hours).
    hours: Mapping[str, Hours] = field(default_factory=dict)


class CallEnded(Exception):
    """Raised inside the interpreter to end the call with an outcome."""

    def __init__(self, outcome: t.Outcome):
        super().__init__(outcome.description)
        self.outcome = outcome


@dataclass
class Frame:
    """A flow or module being run."""

    flow: Flow
    return_to: str | None = None  # the caller flow's next action after a module returns


@dataclass
class Contact:
    """The contact as flows see it through JSONPath."""

    settings: CallSettings
    instance_arn: str
    attributes: dict[str, str] = field(default_factory=dict)
    external: dict[str, Any] = field(default_factory=dict)
    stored_input: str | None = None
    flow_attributes: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    queue: str | None = None  # the flows' name for it (orders), as hours and outcomes name it
    queue_arn: str | None = None
    queue_name: str | None = None  # its name in Connect ($.Queue.Name), see Simulator.queue_names
    contact_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    hooks: dict[str, str] = field(default_factory=dict)
    callback_number: str | None = None
    callback: dict[str, Any] | None = None
    # What other services left for the flow: $.Lex, $.Customer (profiles), $.Case, $.Views...
    namespaces: dict[str, Any] = field(default_factory=dict)
    # $.LanguageCode and the text-to-speech voice: the call's language until a flow sets them
    # (UpdateContactData, UpdateContactTextToSpeechVoice); both last for the contact, across transfers.
    language: str = ""
    voice: str = "Joanna"  # Connect's default voice

    def __post_init__(self) -> None:
        self.language = self.language or self.settings.language

    def root(self) -> dict[str, Any]:
        s = self.settings
        return {
            **self.namespaces,
            "Attributes": self.attributes,
            "External": self.external,
            "StoredCustomerInput": self.stored_input,
            "CustomerEndpoint": {"Address": s.caller, "Type": "TELEPHONE_NUMBER"} if s.caller else {},
            "SystemEndpoint": {"Address": s.dialed, "Type": "TELEPHONE_NUMBER"},
            "Channel": s.channel,
            "ContactId": self.contact_id,
            "InitialContactId": self.contact_id,
            "Queue": {"Name": self.queue_name, "ARN": self.queue_arn} if self.queue else {},
            "FlowAttributes": self.flow_attributes,
            "Metrics": self.metrics,
            "LanguageCode": self.language,
        }

    def lambda_event(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        s = self.settings
        contact = {
            "Attributes": dict(self.attributes),
            "Channel": s.channel,
            "ContactId": self.contact_id,
            "InitialContactId": self.contact_id,
            "PreviousContactId": self.contact_id,
            "InitiationMethod": "INBOUND",
            "InstanceARN": self.instance_arn,
            "LanguageCode": self.language,
            "CustomerEndpoint": {"Address": s.caller, "Type": "TELEPHONE_NUMBER"} if s.caller else None,
            "SystemEndpoint": {"Address": s.dialed, "Type": "TELEPHONE_NUMBER"},
            "Queue": {"Name": self.queue_name, "ARN": self.queue_arn} if self.queue else None,
            "MediaStreams": {},
        }
        return {"Name": "ContactFlowEvent", "Details": {"ContactData": contact, "Parameters": dict(parameters)}}


class Simulator:
    """Runs calls through the flows of `library`, with Lambdas run by `functions`."""

    def __init__(self, library: FlowLibrary, functions: local_lambdas.LocalLambdas,
                 hours: Mapping[str, Hours] | None = None, time_zone: str = "America/New_York",
                 async_wait_seconds: float | None = None, default_hours: Hours | None = None,
                 queue_names: Callable[[str], str] = lambda queue: queue, data: LocalData | None = None,
                 texts_sent: Callable[[], list[tuple[str, str]]] | None = None):
        self.library = library
        # The texts (number, body) the functions have sent so far, oldest first: the caller receives theirs.
        self.texts_sent = texts_sent or (lambda: [])
        self.current: Call | None = None  # the call under way
        self.data = data or LocalData()  # Lex bots, customer profiles and cases (--data)
        # A queue's Connect name from the flows' name for it (configuration.runtime_values.queue_name).
        self.queue_names = queue_names
        # Hours of a name `hours` does not list (a queue's own hours, say); else Mon-Fri 08-18.
        self.default_hours = default_hours
        # How long the end of a call waits for asynchronous invocations (None: their time limit).
        self.async_wait_seconds = async_wait_seconds
        self.functions = functions
        self.hours = dict(hours or {})
        self.time_zone = time_zone

    def call(self, flow_name: str, settings: CallSettings, caller: Caller,
             listener: Callable[[t.Event], None] | None = None) -> t.Transcript:
        flow_name = self.library.in_language(flow_name, settings.language)
        transcript = t.Transcript(flow_name, settings.caller, settings.at.isoformat(timespec="minutes"), listener=listener)
        run = self.current = Call(self, settings, caller, transcript)
        try:
            run.start(flow_name)
        except CallEnded as ended:
            transcript.outcome = ended.outcome
        except (FlowNotFound, FlowUnreadable):
            raise
        except Exception as defect:  # noqa: BLE001 - whatever the file holds, the call ends with one line
            transcript.outcome = t.Outcome(t.STOPPED, f"the simulator stopped the call: flow '{flow_name}' cannot be "
                                                      f"run ({type(defect).__name__}: {defect})")
        finally:
            run.finish()
        if transcript.outcome is not None and not transcript.outcome.attributes:
            transcript.outcome.attributes = dict(run.contact.attributes)
        return transcript


class Call:
    """One call in progress: what the block handlers read and change."""

    def __init__(self, simulator: Simulator, settings: CallSettings, caller: Caller, transcript: t.Transcript):
        self.sim = simulator
        self.settings = settings
        self.caller = caller
        self.transcript = transcript
        self.contact = Contact(settings, simulator.library.resources.instance_arn)
        self.loops: dict[tuple[str, str], int] = {}  # times each Loop block has looped
        self.views_shown: set[tuple[str, str]] = set()  # (flow, ShowView action) already shown
        self.steps = 0
        self.random = random.Random(settings.seed)
        self.background: list[tuple[str, str, dict[str, Any], local_lambdas.Running]] = []  # asynchronous dips
        self.in_queue_flow = False
        self.queue_rounds = 0
        self.data = simulator.data.for_one_call()  # profiles and cases this call may change
        self.elapsed_seconds = 0  # how far the simulated clock has moved on (the caller waiting: `wait:` keys)
        self._texts_seen = len(simulator.texts_sent())

    # -- plumbing ---------------------------------------------------------------------------
    def emit(self, kind: str, frame: Frame | None, action: Action | None, **data: Any) -> None:
        self.transcript.add(t.Event(kind, frame.flow.name if frame else self.transcript.flow,
                                    action.identifier if action else None, data))

    def deliver_texts(self, frame: Frame, action: Action) -> None:
        """The texts sent since the last look: shown in the transcript and received by the caller."""
        sent = self.sim.texts_sent()
        for number, body in sent[self._texts_seen:]:
            self.emit(t.TEXT, frame, action, to=number, text=body)
            receive = getattr(self.caller, "receive_text", None)
            if callable(receive):
                receive(body)
        self._texts_seen = len(sent)

    def note(self, frame: Frame, action: Action | None, text: str, detail: bool = False) -> None:
        """A line in the transcript; a `detail` shows only with --trace."""
        self.emit(t.NOTE, frame, action, text=text, **({"detail": True} if detail else {}))

    def end(self, kind: str, description: str, frame: Frame | None = None, action: Action | None = None,
            **extra: Any) -> NoReturn:
        raise CallEnded(t.Outcome(kind, description, queue=self.contact.queue, attributes=dict(self.contact.attributes),
                                  flow=frame.flow.name if frame else None,
                                  action=action.identifier if action else None, **extra))

    def stop(self, frame: Frame, action: Action | None, problem: str) -> NoReturn:
        where = f"flow '{frame.flow.name}'" + (f", action '{action.identifier}' ({action.type})" if action else "")
        self.end(t.STOPPED, f"the simulator stopped the call: {where}: {problem}", frame, action)

    def resolve(self, value: Any, frame: Frame, action: Action) -> Any:
        def missing(path: str) -> None:
            self.note(frame, action, f"{path} has no value here: it reads as empty", detail=True)

        return resolve_deep(value, self.contact.root(), missing)

    def load(self, name: str, kind: str, frame: Frame | None, action: Action | None) -> Flow:
        try:
            return self.sim.library.module(name) if kind == "module" else self.sim.library.get(name)
        except (FlowNotFound, FlowUnreadable) as problem:
            if frame is None:
                raise
            self.stop(frame, action, str(problem))

    def finish(self) -> None:
        """Collect asynchronous invocations (they ran while the call went on); name placeholders
        nothing could fill."""
        for name in sorted(self.sim.library.resources.unknown):
            self.emit(t.NOTE, None, None, text=f"placeholder {{{{{name}}}}} has no local value: it stays as written")
        for folder, arn, parameters, running in self.background:
            wait = self.sim.async_wait_seconds
            result = running.result(running.time_limit_seconds if wait is None else wait)
            if result.outcome == local_lambdas.TIMEOUT and running.thread is not None and running.thread.is_alive() \
                    and wait is not None and wait < running.time_limit_seconds:
                result = local_lambdas.Invocation("running", None, "still running when the call ended", result.elapsed_ms)
            self.transcript.add(t.Event(t.DIP, self.transcript.flow, None, {
                "function": folder, "arn": arn, "parameters": parameters, "asynchronous": True,
                "outcome": result.outcome, "response": result.response, "error": result.error,
                "elapsed_ms": result.elapsed_ms, "logs": result.logs}))
        self.background.clear()

    # -- the walk ---------------------------------------------------------------------------
    def start(self, flow_name: str) -> None:
        flow = self.load(flow_name, "flow", None, None)
        self.run(flow, entered="entered flow")
        # run() returns only from a module: called directly, it has returned to no one.
        outputs = module_outputs(flow, self.contact)
        self.end(t.RETURNED, "the module returned (EndFlowModuleExecution)"
                 + (f" with outputs {', '.join(f'{k}={v}' for k, v in sorted(outputs.items()))}" if outputs else ""),
                 Frame(flow), None, outputs=outputs)

    def run_queue_flow(self, flow: Flow) -> None:
        """Run the customer queue flow while the caller waits: it comes round `hold_rounds` times
        (or ends) before an agent answers."""
        self.in_queue_flow, self.queue_rounds = True, 0
        try:
            self.run(flow, entered="waiting in queue: customer queue flow")
        finally:
            self.in_queue_flow = False

    def run(self, flow: Flow, entered: str, return_to: str | None = None) -> None:
        """Run `flow` from its start until the call ends (or a module returns)."""
        frame = Frame(flow, return_to)
        self.emit(t.FLOW, frame, None, what=entered)
        current = flow.start_action
        while True:
            if self.in_queue_flow and current == frame.flow.start_action:
                self.queue_rounds += 1
                if self.queue_rounds > self.settings.hold_rounds:
                    self.note(frame, None, f"after {self.settings.hold_rounds} round(s) of the queue flow an agent answers")
                    return
            action = frame.flow.actions.get(current) if current else None
            if action is None:
                self.stop(frame, None, f"the flow leads to action '{current}', which it does not define"
                          if current else "the flow has no StartAction")
            self.steps += 1
            if self.steps > self.settings.max_steps:
                self.stop(frame, action, f"more than {self.settings.max_steps} steps: the flow never ends (loop guard)")
            self.emit(t.STEP, frame, action, type=action.type, summary=summary(action))
            handler = handler_for(action.type)
            if handler is None:
                self.stop(frame, action, f"'{action.type}' is not an action type of the Amazon Connect flow language"
                          if action.type else "the action has no Type")
            if f"{frame.flow.name}:{action.identifier}" in self.settings.fail_actions:
                self.note(frame, action, f"{action.type} fails (forced by the call's settings)")
                current = self.follow(frame, action, error("NoMatchingError"))
                continue
            try:
                branch = handler(self, frame, action)
            except CallEnded:
                raise
            except (FlowNotFound, FlowUnreadable) as problem:  # a flow or module this block leads to
                self.stop(frame, action, str(problem))
            except UnknownOperator as unknown:
                self.stop(frame, action, f"unknown condition operator '{unknown}'")
            except Exception as defect:  # noqa: BLE001 - a defect in a block, reported as the call's end
                self.stop(frame, action, f"the simulator could not run this block ({type(defect).__name__}: {defect})")
            if branch == RETURN:
                return
            current = self.follow(frame, action, branch)

    def follow(self, frame: Frame, action: Action, branch: Branch) -> str:
        """The identifier the branch leads to; ends the call when the flow defines no such path."""
        kind, label = branch
        if kind == "next":
            target = action.next_action
            what = "no NextAction"
        elif kind == "error":
            target = error_target(action, label) if label else None
            if target is None and label != "NoMatchingError":
                target = error_target(action, "NoMatchingError")
            what = f"no '{label}' error branch"
            if target is not None:
                self.note(frame, action, f"{action.type} took its '{label}' error branch",
                          detail=label == "NoMatchingCondition")
        else:  # a condition matched; label is the target itself
            target = label
            what = "no target for the matching condition"
        if target is None:
            self.stop(frame, action, f"the call needs a path the flow does not define: {what}")
        return target

    def match(self, frame: Frame, action: Action, value: Any) -> Branch:
        """The branch of the first condition `value` meets, else the NoMatchingCondition error."""
        for entry in action.conditions:
            operands = entry.operands if isinstance(entry.operands, list) else [entry.operands]
            right = self.resolve(operands[0] if operands else "", frame, action)
            if condition_true(str(entry.operator), value, right):
                return condition(entry.next_action)
        return error("NoMatchingCondition")


def module_outputs(flow: Flow, contact: Contact) -> dict[str, str]:
    """What a module hands back: its declared OutputParameters (Settings), as the module left them
    in its flow attributes; a module that declares none hands back nothing."""
    settings = flow.model.document.get("Settings")
    declared = settings.get("OutputParameters") if isinstance(settings, Mapping) else None
    names = [str(p.get("Name")) for p in declared if isinstance(p, Mapping) and p.get("Name")] \
        if isinstance(declared, list) else []
    return {name: contact.flow_attributes.get(name, "") for name in names}
