"""Hours overrides (issue 15): Connect's hours of operation follow the CLOSE messages.

The messages table's stream invokes this function with the changed MESSAGE items (the event
source mapping filters out the history). For every hours resource a changed CLOSE message touches
(before or after the change: center scope, every hours resource of the app; queue scope, that
queue's hours), it reads all messages and makes the hours' overrides match them (`overrides`
says how), so the flows' hours check agrees with the messages even when the closure check fails.

It reconciles from the table, not from the event, so a replayed or reordered batch does the same.
A daily scheduled run reconciles every hours resource: as days pass, an ALWAYS closure is renewed,
a yearly one moves to its next occurrence and a deferred override takes the place of one that ended.
When Connect refuses, it raises after trying every hours resource: the stream retries the batch,
bisecting it, then sends it to the failure queue, and the alarm fires. The edit itself is written
long before this runs: nothing here can block it.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from lambdas.closure_check.items import MESSAGE_PARTITION, PARTITION_KEY, from_item
from lambdas.closure_check.model import utc_now
from lambdas.common.observability import MetricName, logger, metrics
from lambdas.hours_overrides import connect_hours
from lambdas.hours_overrides.environment import HOURS_ENV, INSTANCE_ID_ENV, QUEUE_HOURS_ENV, TABLE_ENV
from lambdas.hours_overrides.overrides import MAX_OVERRIDES, desired, plan

SCHEDULED = "Scheduled Event"  # EventBridge's detail-type for a schedule


class HoursNotInStep(RuntimeError):
    """Connect refused a change to some hours: the batch is retried."""


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: Mapping[str, Any], context: Any) -> dict[str, list[str]]:
    hours_arns: dict[str, str] = json.loads(os.environ[HOURS_ENV])
    queue_hours: dict[str, str] = json.loads(os.environ[QUEUE_HOURS_ENV])
    daily = event.get("detail-type") == SCHEDULED  # the daily run: every hours resource
    touched = sorted(hours_arns) if daily else touched_hours(event.get("Records", []), hours_arns, queue_hours)
    # Every run emits it, so a run with nothing to do is counted too (and Powertools has a metric to flush).
    metrics.add_metric(name=MetricName.HOURS_RESOURCES_SYNCED, unit=MetricUnit.Count, value=len(touched))
    if not touched:
        logger.info("no CLOSE message changed: the hours stay as they are")
        return {"synced": []}
    messages = connect_hours.read_messages(connect_hours.client("dynamodb"), os.environ[TABLE_ENV])
    connect = connect_hours.ConnectHours(connect_hours.client("connect"), os.environ[INSTANCE_ID_ENV])
    now, failed = utc_now(), []
    for name in touched:
        hours_id = hours_arns[name].rsplit("/", 1)[-1]
        try:
            hours = connect.describe(hours_id)
            changes = plan(desired(messages, name, hours, queue_hours, now), list(connect.overrides(hours_id)))
            connect.apply(hours_id, changes)
        except Exception:  # botocore's errors, after its retries: try the other hours, then fail the batch
            logger.exception("hours overrides not in step", extra={"hours": name})
            metrics.add_metric(name=MetricName.HOURS_OVERRIDES_FAILED, unit=MetricUnit.Count, value=1)
            failed.append(name)
            continue
        if changes.deferred:
            logger.warning(
                f"Connect holds at most {MAX_OVERRIDES} overrides per hours of operation: the nearest are synced, "
                "the later ones wait until an earlier one ends or is deleted (the closure check still plays them)",
                extra={"hours": name, "deferred": [override.name for override in changes.deferred]},
            )
        metrics.add_metric(name=MetricName.HOURS_OVERRIDES_DEFERRED, unit=MetricUnit.Count, value=len(changes.deferred))
        logger.info("hours overrides in step", extra={
            "hours": name, "overrides_created": len(changes.create), "overrides_updated": len(changes.update),
            "overrides_deleted": len(changes.delete), "overrides_unchanged": changes.unchanged,
        })
    if failed:
        raise HoursNotInStep(f"hours overrides not in step for {sorted(failed)}; the stream retries the batch")
    return {"synced": touched}


def touched_hours(records: Iterable[Mapping[str, Any]], hours_arns: Mapping[str, str], queue_hours: Mapping[str, str]) -> list[str]:
    """The hours (by the flows' name) whose overrides a batch of stream records may change."""
    touched: set[str] = set()
    for record in records:
        change = record.get("dynamodb", {})
        if change.get("Keys", {}).get(PARTITION_KEY) != {"S": MESSAGE_PARTITION}:
            continue  # history (the event source mapping filters it out already)
        for image in (change.get("OldImage"), change.get("NewImage")):
            if not image:
                continue
            try:
                message = from_item(image)
            except (KeyError, ValueError, TypeError):  # an item written by hand: check every hours resource
                touched |= set(hours_arns)
                continue
            if message.effect != "CLOSE":
                continue
            if message.scope == "CENTER":
                touched |= set(hours_arns)
            elif message.scope.startswith("QUEUE#"):
                queue = message.scope.partition("#")[2]
                if queue_hours.get(queue) in hours_arns:
                    touched.add(queue_hours[queue])
                else:
                    logger.info("a queue the app did not create: only Connect knows its hours, which stay as they are",
                                extra={"queue": queue, "message_id": message.id})
    return sorted(touched)
