"""Which way the call goes on: hours of operation, queue metrics, loops, percentages, waits."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flow_language.model import Action, static_integer
from ivr.simulator.blocks.registry import NEXT, Branch, block, condition, error
from ivr.simulator.hours import default_hours

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, CallSettings, Frame


@block("CheckHoursOfOperation")
def check_hours_of_operation(call: Call, frame: Frame, action: Action) -> Branch:
    hours_id = action.parameters.get("HoursOfOperationId")
    if hours_id:
        resource = call.sim.library.resources.identify(call.resolve(hours_id, frame, action), "hours")
        name = resource.name if resource else str(hours_id)
    elif call.contact.queue:
        name = call.contact.queue
    else:
        return error("NoMatchingError")
    hours = (call.settings.hours.get(name) or call.sim.hours.get(name) or call.sim.default_hours
             or default_hours(name, call.sim.time_zone))
    is_open = hours.is_open(call.settings.at)
    call.note(frame, action, f"hours '{name}' at {call.settings.at:%a %Y-%m-%d %H:%M %Z}: "
                             f"{'open' if is_open else 'closed'} ({hours.describe()})")
    return call.match(frame, action, "True" if is_open else "False")


def queue_metrics(settings: CallSettings) -> dict[str, int]:
    """The queue's real-time metrics, as the call's settings give them."""
    return {
        "OldestContactInQueueAgeSeconds": settings.queue_wait_seconds,
        "NumberOfContactsInQueue": settings.queue_size,
        "NumberOfAgentsAvailable": settings.agents_available,
        "NumberOfAgentsStaffed": settings.agents_available,
        "NumberOfAgentsOnline": settings.agents_available,
    }


@block("CheckMetricData")
def check_metric_data(call: Call, frame: Frame, action: Action) -> Branch:
    metric = str(action.parameters.get("MetricType", ""))
    metrics = queue_metrics(call.settings)
    if metric not in metrics:
        call.stop(frame, action, f"metric '{metric}' is not one the simulator knows")
    call.note(frame, action, f"queue metric {metric} = {metrics[metric]}")
    return call.match(frame, action, metrics[metric])


@block("GetMetricData")
def get_metric_data(call: Call, frame: Frame, action: Action) -> Branch:
    """$.Metrics as the Get queue metrics block leaves it. The queue's estimated wait is there only
    when the block names one channel (the admin guide's "Get metrics" page), and only when the
    call's settings give one; the contact's position likewise, when given."""
    settings = call.settings
    m = queue_metrics(settings)
    queue: dict[str, Any] = {"Name": call.contact.queue_name or "", "ARN": call.contact.queue_arn or "",
                             "Size": m["NumberOfContactsInQueue"], "OldestContactAge": m["OldestContactInQueueAgeSeconds"]}
    one_channel = call.resolve(action.parameters.get("QueueChannel", ""), frame, action) in {"Voice", "Chat"}
    if settings.expected_wait_seconds is not None and one_channel:
        queue["EstimatedWaitTime"] = settings.expected_wait_seconds
    call.contact.metrics = {
        "Queue": queue,
        "Agents": {key: {"Count": m[f"NumberOfAgents{key}"]} for key in ("Available", "Staffed", "Online")},
    }
    if settings.queue_position is not None:
        call.contact.metrics["Contact"] = {"PositionInQueue": settings.queue_position}
    call.note(frame, action, f"queue metrics loaded: oldest contact {m['OldestContactInQueueAgeSeconds']} s, "
                             f"{m['NumberOfContactsInQueue']} in queue"
                             + (f", expected wait {queue['EstimatedWaitTime']} s" if "EstimatedWaitTime" in queue else "")
                             + (f", position {settings.queue_position}" if settings.queue_position is not None else ""))
    return NEXT


@block("Loop")
def loop(call: Call, frame: Frame, action: Action) -> Branch:
    key = (frame.flow.name, action.identifier)
    count = static_integer(call.resolve(action.parameters.get("LoopCount"), frame, action)) or 0
    done = call.loops.get(key, 0) >= count
    call.loops[key] = 0 if done else call.loops.get(key, 0) + 1
    wanted = "DoneLooping" if done else "ContinueLooping"
    for entry in action.conditions:
        if entry.operand == wanted:
            return condition(entry.next_action)
    call.stop(frame, action, f"the loop has no '{wanted}' branch")


@block("DistributeByPercentage")
def distribute_by_percentage(call: Call, frame: Frame, action: Action) -> Branch:
    return call.match(frame, action, call.random.randint(0, 99))


@block("Wait")
def wait(call: Call, frame: Frame, action: Action) -> Branch:
    for entry in action.conditions:
        if entry.operand in {"WaitCompleted", "Timeout"}:
            return condition(entry.next_action)
    return NEXT
