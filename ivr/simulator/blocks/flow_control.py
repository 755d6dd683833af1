"""Moving between flows and ending them: TransferToFlow, InvokeFlowModule, EndFlowExecution
(and EndFlowModuleExecution), DisconnectParticipant."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flow_language.model import Action
from ivr.simulator import transcript as t
from ivr.simulator.blocks.registry import NEXT, RETURN, Branch, block, error
from ivr.simulator.flows import FlowNotFound

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame


@block("TransferToFlow")
def transfer_to_flow(call: Call, frame: Frame, action: Action) -> Branch:
    target = str(call.resolve(action.parameters.get("ContactFlowId", ""), frame, action))
    resource = call.sim.library.resources.identify(target, "flow")
    try:
        flow = call.sim.library.get(resource.name) if resource else None
    except FlowNotFound:
        flow = None
    if flow is None:
        call.end(t.ENDED, f"transferred to flow {target}, which is not one of the local flows", frame, action)
    call.run(flow, entered="transferred to flow")
    call.stop(frame, action, "the transferred-to flow returned")  # run() only returns from modules


@block("InvokeFlowModule")
def invoke_flow_module(call: Call, frame: Frame, action: Action) -> Branch:
    module_id = str(call.resolve(action.parameters.get("FlowModuleId", ""), frame, action))
    resource = call.sim.library.resources.identify(module_id, "module")
    if resource is None:
        return error("NoMatchingError")
    library = call.sim.library
    try:
        module = library.module(resource.name)
    except FlowNotFound:
        try:  # a module exported next to the flow, outside modules/
            module = library.get(resource.name)
        except FlowNotFound:
            call.note(frame, action, f"module {module_id} is not one of the local flows: InvokeFlowModule fails")
            return error("NoMatchingError")
    call.run(module, entered="module", return_to=action.next_action or "")
    call.emit(t.FLOW, frame, None, what="back in flow")
    return NEXT


@block("EndFlowExecution", "EndFlowModuleExecution")
def end_flow_execution(call: Call, frame: Frame, action: Action) -> Branch:
    """A module returns to whoever ran it (a module called directly ends the call `returned`);
    a customer queue flow comes round again; any other flow ends."""
    if action.type == "EndFlowModuleExecution" or call.in_queue_flow or frame.return_to is not None \
            or frame.flow.kind == "module":
        return RETURN
    call.end(t.ENDED, "the flow ended (EndFlowExecution)", frame, action)


@block("DisconnectParticipant")
def disconnect_participant(call: Call, frame: Frame, action: Action) -> Branch:
    callback = call.contact.callback
    if callback:
        call.end(t.CALLBACK, f"the caller hangs up; callback to {callback['number']} queued in "
                             f"'{callback['queue']}'", frame, action, callback_number=callback["number"])
    call.end(t.DISCONNECTED, "the IVR ended the call (DisconnectParticipant)", frame, action)
