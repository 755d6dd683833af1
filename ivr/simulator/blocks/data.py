"""What the contact knows: data dips (InvokeLambdaFunction), attributes, and Compare on a value."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from flow_language.model import Action, static_integer
from ivr.simulator import lambdas as local_lambdas
from ivr.simulator import transcript as t
from ivr.simulator.blocks.registry import NEXT, Branch, block, error

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame

# InvocationTimeLimitSeconds when the block does not give one.
SYNCHRONOUS_TIME_LIMIT_SECONDS = 8
ASYNCHRONOUS_TIME_LIMIT_SECONDS = 60


@block("InvokeLambdaFunction")
def invoke_lambda_function(call: Call, frame: Frame, action: Action) -> Branch:
    p = action.parameters
    arn = str(p.get("LambdaFunctionARN", ""))
    resource = call.sim.library.resources.identify(arn, "lambda")
    folder = resource.name if resource else arn
    parameters = call.resolve(_mapping(p.get("LambdaInvocationAttributes")), frame, action)
    event = call.contact.lambda_event(parameters)
    asynchronous = str(p.get("InvocationType", "SYNCHRONOUS")).upper() == "ASYNCHRONOUS"
    limit = static_integer(p.get("InvocationTimeLimitSeconds")) or (
        ASYNCHRONOUS_TIME_LIMIT_SECONDS if asynchronous else SYNCHRONOUS_TIME_LIMIT_SECONDS)
    if asynchronous:
        running = call.sim.functions.start(folder, event, limit, arn)
        call.background.append((folder, arn, parameters, running))
        call.note(frame, action, f"{folder} invoked asynchronously: the caller does not wait for it")
        return NEXT
    validation = p.get("ResponseValidation")
    json_response = isinstance(validation, Mapping) and validation.get("ResponseType") == "JSON"
    result = call.sim.functions.invoke(folder, event, limit, arn, "JSON" if json_response else "STRING_MAP")
    call.emit(t.DIP, frame, action, function=folder, arn=arn, parameters=parameters, asynchronous=False,
              outcome=result.outcome, response=result.response, error=result.error,
              elapsed_ms=result.elapsed_ms, time_limit_seconds=limit, logs=result.logs)
    call.deliver_texts(frame, action)
    if result.outcome == local_lambdas.MISSING:
        call.note(frame, action, f"{result.error}: {action.type} takes its error branch")
    if not result.succeeded:
        return error("NoMatchingError")
    call.contact.external = dict(result.response or {})
    return NEXT


@block("UpdateContactAttributes")
def update_contact_attributes(call: Call, frame: Frame, action: Action) -> Branch:
    values = call.resolve(_mapping(action.parameters.get("Attributes")), frame, action)
    values = {str(k): "" if v is None else str(v) for k, v in values.items()}
    call.contact.attributes.update(values)
    call.emit(t.ATTRIBUTES, frame, action, attributes=values)
    return NEXT


@block("UpdateFlowAttributes")
def update_flow_attributes(call: Call, frame: Frame, action: Action) -> Branch:
    values = call.resolve(_mapping(action.parameters.get("FlowAttributes")), frame, action)
    for key, value in values.items():
        call.contact.flow_attributes[str(key)] = str(value.get("Value", "") if isinstance(value, Mapping) else value)
    return NEXT


@block("Compare")
def compare(call: Call, frame: Frame, action: Action) -> Branch:
    value = call.resolve(action.parameters.get("ComparisonValue"), frame, action)
    return call.match(frame, action, value)


def _mapping(value: object) -> Mapping:
    return value if isinstance(value, Mapping) else {}
