"""The interpreter: walks our flows action by action the way Amazon Connect would for one call.

`Simulator(library, lambdas, ...)` holds what does not change between calls (the flows, the local
Lambda runner, hours of operation); `Simulator.call(flow, settings, caller)` runs one call and
returns its `Transcript`. Whatever the flow does, a call ends with an `Outcome`: a defect in the
flow (an action type we cannot run, a branch the flow does not define, an endless loop) ends it
with kind `stopped` and a message naming the action, never with an exception.
"""
from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from flow_language.model import Action, static_integer
from ivr.simulator import lambdas as local_lambdas
from ivr.simulator import transcript as t
from ivr.simulator.callers import Caller, Prompt
from ivr.simulator.flows import Flow, FlowLibrary, FlowNotFound, FlowUnreadable, error_target, summary
from ivr.simulator.hours import Hours, default_hours
from ivr.simulator.values import UnknownOperator, condition_true, resolve_deep, ssml_to_text, tidy

DEFAULT_MAX_STEPS = 500
# A customer queue flow loops until an agent answers: the caller waits `hold_rounds` rounds of it
# (an agent answers when it comes back to its start that often, or when it ends).
E164 = re.compile(r"\+[1-9]\d{7,14}")

# Blocks that change nothing a caller or a later block would notice in a local run.
NO_OP_TYPES = {
    "UpdateFlowLoggingBehavior": "flow logging enabled (CloudWatch Logs in AWS)",
    "UpdateContactRecordingBehavior": "call recording behavior set",
    "UpdateContactRecordingAndAnalyticsBehavior": "recording and analytics behavior set",
    "UpdateContactTextToSpeechVoice": "text-to-speech voice set",
    "UpdateContactRoutingBehavior": "routing behavior set",
    "UpdateContactData": "contact data updated",
    "CreateTask": "a task would be created",
}


@dataclass
class CallSettings:
    """What the caller and the world look like for one call."""

    at: datetime  # the simulated clock (time zone aware)
    caller: str | None = "+15555550123"
    dialed: str = "+18005550100"
    queue_wait_seconds: int = 0  # age of the oldest contact in queue
    queue_size: int = 0
    agents_available: int = 1
    queue_full: bool = False  # TransferContactToQueue takes QueueAtCapacity
    hold_rounds: int = 1  # times the customer queue flow comes round before an agent answers
    channel: str = "VOICE"
    language: str = "en-US"
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
class _Frame:
    flow: Flow
    return_to: str | None = None  # the caller flow's next action after a module returns


@dataclass
class _Contact:
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

    def root(self) -> dict[str, Any]:
        s = self.settings
        return {
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
            "LanguageCode": s.language,
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
            "LanguageCode": s.language,
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
                 queue_names: Callable[[str], str] = lambda queue: queue):
        self.library = library
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
        transcript = t.Transcript(flow_name, settings.caller, settings.at.isoformat(timespec="minutes"), listener=listener)
        run = _Call(self, settings, caller, transcript)
        try:
            run.start(flow_name)
        except CallEnded as ended:
            transcript.outcome = ended.outcome
        finally:
            run.finish()
        if transcript.outcome is not None and not transcript.outcome.attributes:
            transcript.outcome.attributes = dict(run.contact.attributes)
        return transcript


class _Call:
    """One call in progress."""

    def __init__(self, simulator: Simulator, settings: CallSettings, caller: Caller, transcript: t.Transcript):
        self.sim = simulator
        self.settings = settings
        self.caller = caller
        self.transcript = transcript
        self.contact = _Contact(settings, simulator.library.resources.instance_arn)
        self.loops: dict[tuple[str, str], int] = {}
        self.steps = 0
        self.random = random.Random(settings.seed)
        self.background: list[tuple[str, str, dict, local_lambdas.Running]] = []
        self.in_queue_flow = False
        self.queue_rounds = 0

    # -- plumbing ---------------------------------------------------------------------------
    def emit(self, kind: str, frame: _Frame | None, action: Action | None, **data: Any) -> None:
        self.transcript.add(t.Event(kind, frame.flow.name if frame else self.transcript.flow,
                                    action.identifier if action else None, data))

    def note(self, frame: _Frame, action: Action | None, text: str, detail: bool = False) -> None:
        """A line in the transcript; a `detail` shows only with --trace."""
        self.emit(t.NOTE, frame, action, text=text, **({"detail": True} if detail else {}))

    def end(self, kind: str, description: str, frame: _Frame | None = None, action: Action | None = None,
            **extra: Any) -> None:
        raise CallEnded(t.Outcome(kind, description, queue=self.contact.queue, attributes=dict(self.contact.attributes),
                                  flow=frame.flow.name if frame else None,
                                  action=action.identifier if action else None, **extra))

    def stop(self, frame: _Frame, action: Action | None, problem: str) -> None:
        where = f"flow '{frame.flow.name}'" + (f", action '{action.identifier}' ({action.type})" if action else "")
        self.end(t.STOPPED, f"the simulator stopped the call: {where}: {problem}", frame, action)

    def resolve(self, value: Any, frame: _Frame, action: Action) -> Any:
        def missing(path: str) -> None:
            self.note(frame, action, f"{path} has no value here: it reads as empty", detail=True)

        return resolve_deep(value, self.contact.root(), missing)

    def load(self, name: str, kind: str, frame: _Frame | None, action: Action | None) -> Flow:
        try:
            return self.sim.library.module(name) if kind == "module" else self.sim.library.get(name)
        except (FlowNotFound, FlowUnreadable) as error:
            if frame is None:
                raise
            self.stop(frame, action, str(error))
            raise  # unreachable: stop() raises

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
        self.run(_Frame(flow), flow.start_action, entered="entered flow")

    def run(self, frame: _Frame, action_id: str | None, entered: str) -> None:
        """Run `frame.flow` from `action_id` until the call ends (or a module returns)."""
        self.emit(t.FLOW, frame, None, what=entered)
        current = action_id
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
            handler = getattr(self, f"do_{action.type}", None)
            if handler is None and action.type in NO_OP_TYPES:
                handler = self.do_no_op
            if handler is None:
                self.stop(frame, action, f"action type '{action.type}' is not one the simulator can run")
            if f"{frame.flow.name}:{action.identifier}" in self.settings.fail_actions:
                self.note(frame, action, f"{action.type} fails (forced by the call's settings)")
                current = self.follow(frame, action, ("error", "NoMatchingError"))
                continue
            try:
                branch = handler(frame, action)
            except (CallEnded, FlowNotFound, FlowUnreadable):
                raise
            except UnknownOperator as error:
                self.stop(frame, action, f"unknown condition operator '{error}'")
            except Exception as error:  # noqa: BLE001 - a defect in a block, reported as the call's end
                self.stop(frame, action, f"the simulator could not run this block ({type(error).__name__}: {error})")
            if branch is _RETURN:
                return
            current = self.follow(frame, action, branch)

    def follow(self, frame: _Frame, action: Action, branch: tuple[str, str | None]) -> str:
        """The identifier the branch leads to; ends the call when the flow defines no such path."""
        kind, label = branch
        if kind == "next":
            target = action.next_action
            what = "no NextAction"
        elif kind == "error":
            target = error_target(action, label)
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

    # -- blocks -----------------------------------------------------------------------------
    def do_no_op(self, frame: _Frame, action: Action):
        self.note(frame, action, f"{action.type}: {NO_OP_TYPES[action.type]} (no effect in a local call)")
        return ("next", None)

    def say(self, frame: _Frame, action: Action) -> str | None:
        p = action.parameters
        if "SSML" in p:
            text = ssml_to_text(str(self.resolve(p["SSML"], frame, action)))
        elif "Text" in p:
            text = tidy(str(self.resolve(p["Text"], frame, action)))
        elif "PromptId" in p:
            text = f"(plays the recorded prompt {p['PromptId']})"
        elif "Media" in p:
            text = f"(plays media {p['Media']})"
        else:
            return None
        self.emit(t.SAY, frame, action, text=text)
        return text

    def do_MessageParticipant(self, frame: _Frame, action: Action):
        if self.say(frame, action) is None:
            self.stop(frame, action, "the message has no Text, SSML, PromptId or Media")
        return ("next", None)

    def do_GetParticipantInput(self, frame: _Frame, action: Action):
        p = action.parameters
        text = self.say(frame, action) or ""
        store = str(p.get("StoreInput", "False")).lower() == "true"
        seconds = static_integer(p.get("InputTimeLimitSeconds")) or 5
        validation = p.get("InputValidation") if isinstance(p.get("InputValidation"), Mapping) else {}
        custom = validation.get("CustomValidation") if isinstance(validation.get("CustomValidation"), Mapping) else {}
        dtmf = p.get("DTMFConfiguration") if isinstance(p.get("DTMFConfiguration"), Mapping) else {}
        prompt = Prompt(text, store, seconds, static_integer(custom.get("MaximumLength")) or 20,
                        str(dtmf.get("InputTerminationSequence") or "#"), encrypted="InputEncryption" in p)
        answer = self.caller.answer(prompt)
        if answer is not None and answer.hang_up:
            self.emit(t.INPUT, frame, action, shown="(hangs up)", hang_up=True)
            self.end(t.HUNG_UP, "the caller hung up", frame, action)
        if answer is None or not answer.keys:
            self.emit(t.INPUT, frame, action, timeout=True, seconds=seconds)
            if store:
                return ("error", "NoMatchingError")
            return ("error", "InputTimeLimitExceeded")
        shown = "*" * len(answer.keys) + " (encrypted)" if prompt.encrypted else answer.keys
        self.emit(t.INPUT, frame, action, shown=shown, keys="" if prompt.encrypted else answer.keys)
        if store:
            value = answer.keys
            if "PhoneNumberValidation" in validation:
                value = _phone(value, validation["PhoneNumberValidation"])
                if value is None:
                    return ("error", "InvalidPhoneNumber")
            self.contact.stored_input = f"(encrypted: {len(value)} digits)" if prompt.encrypted else value
            return ("next", None)
        for condition in action.conditions:
            operand = condition.operand
            if condition.operator == "Equals" and operand == answer.keys:
                return ("condition", condition.next_action)
        return ("error", "NoMatchingCondition")

    def do_InvokeLambdaFunction(self, frame: _Frame, action: Action):
        p = action.parameters
        arn = str(p.get("LambdaFunctionARN", ""))
        resource = self.sim.library.resources.identify(arn, "lambda")
        folder = resource.name if resource else arn
        parameters = self.resolve(p.get("LambdaInvocationAttributes") or {}, frame, action)
        event = self.contact.lambda_event(parameters)
        asynchronous = str(p.get("InvocationType", "SYNCHRONOUS")).upper() == "ASYNCHRONOUS"
        limit = static_integer(p.get("InvocationTimeLimitSeconds")) or (60 if asynchronous else 8)
        if asynchronous:
            running = self.sim.functions.start(folder, event, limit, arn)
            self.background.append((folder, arn, parameters, running))
            self.note(frame, action, f"{folder} invoked asynchronously: the caller does not wait for it")
            return ("next", None)
        response_type = "STRING_MAP"
        validation = p.get("ResponseValidation")
        if isinstance(validation, Mapping) and validation.get("ResponseType") == "JSON":
            response_type = "JSON"
        result = self.sim.functions.invoke(folder, event, limit, arn, response_type)
        self.emit(t.DIP, frame, action, function=folder, arn=arn, parameters=parameters, asynchronous=False,
                  outcome=result.outcome, response=result.response, error=result.error,
                  elapsed_ms=result.elapsed_ms, time_limit_seconds=limit, logs=result.logs)
        if not result.succeeded:
            return ("error", "NoMatchingError")
        self.contact.external = dict(result.response or {})
        return ("next", None)

    def do_UpdateContactAttributes(self, frame: _Frame, action: Action):
        values = self.resolve(action.parameters.get("Attributes") or {}, frame, action)
        values = {str(k): "" if v is None else str(v) for k, v in values.items()}
        self.contact.attributes.update(values)
        self.emit(t.ATTRIBUTES, frame, action, attributes=values)
        return ("next", None)

    def do_UpdateFlowAttributes(self, frame: _Frame, action: Action):
        values = self.resolve(action.parameters.get("FlowAttributes") or {}, frame, action)
        for key, value in values.items():
            self.contact.flow_attributes[str(key)] = str(value.get("Value", "") if isinstance(value, Mapping) else value)
        return ("next", None)

    def do_Compare(self, frame: _Frame, action: Action):
        value = self.resolve(action.parameters.get("ComparisonValue"), frame, action)
        return self.match(frame, action, value)

    def match(self, frame: _Frame, action: Action, value: Any):
        for condition in action.conditions:
            operands = condition.operands if isinstance(condition.operands, list) else [condition.operands]
            right = self.resolve(operands[0] if operands else "", frame, action)
            if condition_true(str(condition.operator), value, right):
                return ("condition", condition.next_action)
        return ("error", "NoMatchingCondition")

    def do_CheckHoursOfOperation(self, frame: _Frame, action: Action):
        hours_id = action.parameters.get("HoursOfOperationId")
        if hours_id:
            resource = self.sim.library.resources.identify(self.resolve(hours_id, frame, action), "hours")
            name = resource.name if resource else str(hours_id)
        elif self.contact.queue:
            name = self.contact.queue
        else:
            return ("error", "NoMatchingError")
        hours = (self.settings.hours.get(name) or self.sim.hours.get(name) or self.sim.default_hours
                 or default_hours(name, self.sim.time_zone))
        is_open = hours.is_open(self.settings.at)
        self.note(frame, action, f"hours '{name}' at {self.settings.at:%a %Y-%m-%d %H:%M %Z}: "
                                 f"{'open' if is_open else 'closed'} ({hours.describe()})")
        return self.match(frame, action, "True" if is_open else "False")

    def _queue_metrics(self) -> dict[str, int]:
        s = self.settings
        return {
            "OldestContactInQueueAgeSeconds": s.queue_wait_seconds,
            "NumberOfContactsInQueue": s.queue_size,
            "NumberOfAgentsAvailable": s.agents_available,
            "NumberOfAgentsStaffed": s.agents_available,
            "NumberOfAgentsOnline": s.agents_available,
        }

    def do_CheckMetricData(self, frame: _Frame, action: Action):
        metric = str(action.parameters.get("MetricType", ""))
        metrics = self._queue_metrics()
        if metric not in metrics:
            self.stop(frame, action, f"metric '{metric}' is not one the simulator knows")
        self.note(frame, action, f"queue metric {metric} = {metrics[metric]}")
        return self.match(frame, action, metrics[metric])

    def do_GetMetricData(self, frame: _Frame, action: Action):
        m = self._queue_metrics()
        self.contact.metrics = {
            "Queue": {"Name": self.contact.queue_name or "", "Size": m["NumberOfContactsInQueue"],
                      "OldestContactAge": m["OldestContactInQueueAgeSeconds"]},
            "Agents": {key: {"Count": m[f"NumberOfAgents{key}"]} for key in ("Available", "Staffed", "Online")},
        }
        self.note(frame, action, f"queue metrics loaded: oldest contact {m['OldestContactInQueueAgeSeconds']} s, "
                                 f"{m['NumberOfContactsInQueue']} in queue")
        return ("next", None)

    def do_Loop(self, frame: _Frame, action: Action):
        key = (frame.flow.name, action.identifier)
        count = static_integer(self.resolve(action.parameters.get("LoopCount"), frame, action)) or 0
        done = self.loops.get(key, 0) >= count
        self.loops[key] = 0 if done else self.loops.get(key, 0) + 1
        wanted = "DoneLooping" if done else "ContinueLooping"
        for condition in action.conditions:
            if condition.operand == wanted:
                return ("condition", condition.next_action)
        self.stop(frame, action, f"the loop has no '{wanted}' branch")

    def do_DistributeByPercentage(self, frame: _Frame, action: Action):
        return self.match(frame, action, self.random.randint(0, 99))

    def do_UpdateContactTargetQueue(self, frame: _Frame, action: Action):
        p = action.parameters
        if p.get("AgentId"):
            self.contact.queue = self.contact.queue_name = f"agent {p['AgentId']}"
            self.contact.queue_arn = str(p["AgentId"])
        else:
            arn = str(self.resolve(p.get("QueueId", ""), frame, action))
            resource = self.sim.library.resources.identify(arn, "queue")
            if not arn or resource is None:
                return ("error", "NoMatchingError")
            self.contact.queue, self.contact.queue_arn = resource.name, arn
            self.contact.queue_name = self.sim.queue_names(resource.name)
        self.note(frame, action, f"target queue set to '{self.contact.queue}'")
        return ("next", None)

    def do_UpdateContactEventHooks(self, frame: _Frame, action: Action):
        hooks = action.parameters.get("EventHooks")
        for event, target in (hooks.items() if isinstance(hooks, Mapping) else ()):
            self.contact.hooks[str(event)] = str(self.resolve(target, frame, action))
            self.note(frame, action, f"event hook {event} set to {target}")
        return ("next", None)

    def do_TransferContactToQueue(self, frame: _Frame, action: Action):
        if not self.contact.queue:
            return ("error", "NoMatchingError")
        if self.settings.queue_full:
            self.note(frame, action, f"queue '{self.contact.queue}' is at capacity")
            return ("error", "QueueAtCapacity")
        if self.contact.callback_number and self.in_queue_flow:
            self.contact.callback = {"queue": self.contact.queue, "number": self.contact.callback_number}
            self.end(t.CALLBACK, f"callback to {self.contact.callback_number} queued in '{self.contact.queue}'",
                     frame, action, callback_number=self.contact.callback_number)
        if not self.in_queue_flow:
            self.wait_in_queue()
        self.end(t.TRANSFERRED, f"transferred to queue '{self.contact.queue}'"
                 + (f" with attributes {_attrs(self.contact.attributes)}" if self.contact.attributes else ""),
                 frame, action)

    def do_DequeueContactAndTransferToQueue(self, frame: _Frame, action: Action):
        """A queue-to-queue transfer from a customer queue flow: the caller waits in the new queue."""
        moved = self.do_UpdateContactTargetQueue(frame, action)
        if moved != ("next", None):
            return moved
        return self.do_TransferContactToQueue(frame, action)

    def wait_in_queue(self) -> None:
        """Run the customer queue flow (set by an event hook, else ours) while the caller waits."""
        library = self.sim.library
        target = self.contact.hooks.get("CustomerQueue")
        flow = None
        if target:
            resource = library.resources.identify(target, "flow")
            if resource:
                try:
                    flow = library.get(resource.name)
                except FlowNotFound:
                    flow = None
        if flow is None:
            flow = library.queue_flow()
        if flow is None:
            return
        self.in_queue_flow, self.queue_rounds = True, 0
        try:
            self.run(_Frame(flow), flow.start_action, entered="waiting in queue: customer queue flow")
        finally:
            self.in_queue_flow = False

    def do_EndFlowExecution(self, frame: _Frame, action: Action):
        if self.in_queue_flow:
            return _RETURN
        if frame.return_to is not None or frame.flow.kind == "module":
            return _RETURN
        self.end(t.ENDED, "the flow ended (EndFlowExecution)", frame, action)

    do_EndFlowModuleExecution = do_EndFlowExecution

    def do_UpdateContactCallbackNumber(self, frame: _Frame, action: Action):
        number = str(self.resolve(action.parameters.get("CallbackNumber", ""), frame, action))
        if not E164.fullmatch(number):
            return ("error", "InvalidCallbackNumber")
        self.contact.callback_number = number
        self.note(frame, action, f"callback number set to {number}")
        return ("next", None)

    def do_CreateCallbackContact(self, frame: _Frame, action: Action):
        p = action.parameters
        queue = self.contact.queue
        if p.get("QueueId"):
            resource = self.sim.library.resources.identify(str(self.resolve(p["QueueId"], frame, action)), "queue")
            queue = resource.name if resource else str(p["QueueId"])
        number = self.contact.callback_number or self.settings.caller
        if not number:
            return ("error", "NoMatchingError")
        self.contact.callback = {"queue": queue, "number": number,
                                 "delay_seconds": p.get("InitialCallDelaySeconds")}
        self.note(frame, action, f"callback created: {number} in queue '{queue}'")
        return ("next", None)

    def do_TransferToFlow(self, frame: _Frame, action: Action):
        target = str(self.resolve(action.parameters.get("ContactFlowId", ""), frame, action))
        resource = self.sim.library.resources.identify(target, "flow")
        try:
            flow = self.sim.library.get(resource.name) if resource else None
        except FlowNotFound:
            flow = None
        if flow is None:
            self.end(t.ENDED, f"transferred to flow {target}, which is not one of the local flows", frame, action)
        self.run(_Frame(flow), flow.start_action, entered="transferred to flow")
        self.stop(frame, action, "the transferred-to flow returned")  # run() only returns from modules

    def do_InvokeFlowModule(self, frame: _Frame, action: Action):
        module_id = str(self.resolve(action.parameters.get("FlowModuleId", ""), frame, action))
        resource = self.sim.library.resources.identify(module_id, "module")
        if resource is None:
            return ("error", "NoMatchingError")
        module = self.load(resource.name, "module", frame, action)
        self.run(_Frame(module, return_to=action.next_action or ""), module.start_action, entered="module")
        self.emit(t.FLOW, frame, None, what="back in flow")
        return ("next", None)

    def do_DisconnectParticipant(self, frame: _Frame, action: Action):
        callback = self.contact.callback
        if callback:
            self.end(t.CALLBACK, f"the caller hangs up; callback to {callback['number']} queued in "
                                 f"'{callback['queue']}'", frame, action, callback_number=callback["number"])
        self.end(t.DISCONNECTED, "the IVR ended the call (DisconnectParticipant)", frame, action)

    def do_Wait(self, frame: _Frame, action: Action):
        for condition in action.conditions:
            if condition.operand in {"WaitCompleted", "Timeout"}:
                return ("condition", condition.next_action)
        return ("next", None)


_RETURN = ("return", None)


def _attrs(attributes: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))


def _phone(value: str, rule: Any) -> str | None:
    """The number as E.164 when it passes the block's phone validation, else None."""
    digits = re.sub(r"[^\d+]", "", value)
    if isinstance(rule, Mapping) and rule.get("NumberFormat") == "Local" and not digits.startswith("+"):
        country = {"US": "1", "CA": "1", "GB": "44", "FR": "33", "DE": "49"}.get(str(rule.get("CountryCode")), "")
        digits = f"+{country}{digits}" if country else digits
    return digits if E164.fullmatch(digits) else None

