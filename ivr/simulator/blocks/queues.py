"""Queues and callbacks: the target queue, the transfer (and the wait in the customer queue flow),
queue-to-queue moves, the customer queue event hook, callback numbers and callback contacts."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flow_language.model import Action
from ivr.simulator import transcript as t
from ivr.simulator.blocks.registry import NEXT, Branch, block, error
from ivr.simulator.flows import Flow, FlowNotFound
from phone_numbers import is_e164

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame


@block("UpdateContactTargetQueue")
def update_contact_target_queue(call: Call, frame: Frame, action: Action) -> Branch:
    p = action.parameters
    contact = call.contact
    if p.get("AgentId"):
        contact.queue = contact.queue_name = f"agent {p['AgentId']}"
        contact.queue_arn = str(p["AgentId"])
    else:
        arn = str(call.resolve(p.get("QueueId", ""), frame, action))
        resource = call.sim.library.resources.identify(arn, "queue")
        if not arn or resource is None:
            return error("NoMatchingError")
        contact.queue, contact.queue_arn = resource.name, arn
        contact.queue_name = call.sim.queue_names(resource.name)
    call.note(frame, action, f"target queue set to '{contact.queue}'")
    return NEXT


@block("UpdateContactEventHooks")
def update_contact_event_hooks(call: Call, frame: Frame, action: Action) -> Branch:
    hooks = action.parameters.get("EventHooks")
    for event, target in (hooks.items() if isinstance(hooks, Mapping) else ()):
        call.contact.hooks[str(event)] = str(call.resolve(target, frame, action))
        call.note(frame, action, f"event hook {event} set to {target}")
    return NEXT


@block("TransferContactToQueue")
def transfer_contact_to_queue(call: Call, frame: Frame, action: Action) -> Branch:
    contact = call.contact
    if not contact.queue:
        return error("NoMatchingError")
    if call.settings.queue_full:
        call.note(frame, action, f"queue '{contact.queue}' is at capacity")
        return error("QueueAtCapacity")
    if contact.callback_number and call.in_queue_flow:
        contact.callback = {"queue": contact.queue, "number": contact.callback_number}
        call.end(t.CALLBACK, f"callback to {contact.callback_number} queued in '{contact.queue}'",
                 frame, action, callback_number=contact.callback_number)
    if not call.in_queue_flow:
        flow = customer_queue_flow(call)
        if flow is not None:
            call.run_queue_flow(flow)
    call.end(t.TRANSFERRED, f"transferred to queue '{contact.queue}'"
             + (f" with attributes {_attrs(contact.attributes)}" if contact.attributes else ""),
             frame, action)


@block("TransferContactToAgent")
def transfer_contact_to_agent(call: Call, frame: Frame, action: Action) -> Branch:
    """To the agent the contact's target (UpdateContactTargetQueue with an AgentId) names."""
    if not call.contact.queue or not str(call.contact.queue).startswith("agent "):
        call.note(frame, action, "no agent is set as the contact's target")
        return error("NoMatchingError")
    call.end(t.TRANSFERRED, f"transferred to {call.contact.queue}", frame, action)


@block("DequeueContactAndTransferToQueue")
def dequeue_contact_and_transfer_to_queue(call: Call, frame: Frame, action: Action) -> Branch:
    """A queue-to-queue transfer from a customer queue flow: the caller waits in the new queue."""
    moved = update_contact_target_queue(call, frame, action)
    if moved != NEXT:
        return moved
    return transfer_contact_to_queue(call, frame, action)


def customer_queue_flow(call: Call) -> Flow | None:
    """The flow the caller hears while waiting: the one the CustomerQueue event hook names, else ours."""
    library = call.sim.library
    target = call.contact.hooks.get("CustomerQueue")
    resource = library.resources.identify(target, "flow") if target else None
    if resource is not None:
        try:
            return library.get(resource.name)
        except FlowNotFound:
            pass
    return library.queue_flow()


@block("UpdateContactCallbackNumber")
def update_contact_callback_number(call: Call, frame: Frame, action: Action) -> Branch:
    number = str(call.resolve(action.parameters.get("CallbackNumber", ""), frame, action))
    if not is_e164(number):
        return error("InvalidCallbackNumber")
    call.contact.callback_number = number
    call.note(frame, action, f"callback number set to {number}")
    return NEXT


@block("CreateCallbackContact")
def create_callback_contact(call: Call, frame: Frame, action: Action) -> Branch:
    p = action.parameters
    queue = call.contact.queue
    if p.get("QueueId"):
        resource = call.sim.library.resources.identify(str(call.resolve(p["QueueId"], frame, action)), "queue")
        queue = resource.name if resource else str(p["QueueId"])
    number = call.contact.callback_number or call.settings.caller
    if not number:
        return error("NoMatchingError")
    call.contact.callback = {"queue": queue, "number": number, "delay_seconds": p.get("InitialCallDelaySeconds")}
    call.note(frame, action, f"callback created: {number} in queue '{queue}'")
    return NEXT


def _attrs(attributes: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))
