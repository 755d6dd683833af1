"""Saved Logs Insights queries (OPS-3): over the Connect flow logs, and over the functions' logs.

Each is saved as `<prefix>/<name>`, the name the alarms' descriptions point to (`flow-errors`,
`dip-errors`).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aws_cdk import aws_logs as logs

if TYPE_CHECKING:
    from infra.monitoring import IvrMonitoring


def _on_flow_logs() -> dict[str, logs.QueryString]:
    """What callers did, from the flow logs Connect writes per block.

    The flows keep PII out of these logs (README, "Flow logs and PII"): the blocks that touch it
    run with flow logging off, so the order-status and caller-lookup dips are not here
    (`dip-outcomes`, over the functions' logs, has every dip), and a caller who leaves inside such
    a stretch shows at the last block logged before it. Menus, the other dips, transfers and the
    end of the call are always logged (tests/infra/test_flow_logs_pii.py).
    """
    return {
        "callers-abandon": logs.QueryString(
            filter_statements=["ispresent(ContactId)"],
            stats_statements=[
                "latest(ContactFlowName) as flow, latest(ContactFlowModuleType) as lastBlockType, latest(Identifier) as lastBlock by ContactId",
                "count(*) as contacts by flow, lastBlockType, lastBlock",
            ],
            sort="contacts desc",
            limit=100,
        ),
        "time-in-ivr": logs.QueryString(
            filter_statements=["ispresent(ContactId)"],
            stats_statements=[
                "(max(@timestamp) - min(@timestamp)) / 1000 as secondsInIvr, earliest(ContactFlowName) as entryFlow by ContactId",
                "count(*) as contacts, avg(secondsInIvr) as averageSeconds, pct(secondsInIvr, 50) as medianSeconds, "
                "pct(secondsInIvr, 90) as p90Seconds, max(secondsInIvr) as longestSeconds by entryFlow",
            ],
            sort="contacts desc",
        ),
        "menu-options": logs.QueryString(
            filter_statements=['ContactFlowModuleType = "GetUserInput"'],
            stats_statements=["count(*) as presses by ContactFlowName, Identifier, Results"],
            sort="presses desc",
            limit=100,
        ),
        "dip-outcomes-seen-by-flows": logs.QueryString(
            filter_statements=['ContactFlowModuleType = "InvokeExternalResource"'],
            stats_statements=["count(*) as calls by ContactFlowName, Parameters.FunctionArn, ExternalResults.result"],
            sort="calls desc",
        ),
        "flow-errors": logs.QueryString(
            fields=["@timestamp", "ContactId", "ContactFlowName", "ContactFlowModuleType", "Identifier", "Results"],
            filter_statements=["Results like /(?i)error|fail|timeout/"],
            sort="@timestamp desc",
            limit=200,
        ),
    }


def _on_function_logs() -> dict[str, logs.QueryString]:
    """What the functions answered and logged (Powertools JSON lines)."""
    return {
        "dip-outcomes": logs.QueryString(
            filter_statements=["ispresent(result)"],
            stats_statements=["count(*) as answers by service, result"],
            sort="answers desc",
        ),
        "dip-errors": logs.QueryString(
            fields=["@timestamp", "service", "correlation_id", "message", "error_kind"],
            filter_statements=['level = "ERROR" or level = "WARNING"'],
            sort="@timestamp desc",
            limit=200,
        ),
    }


def save_queries(monitoring: IvrMonitoring) -> list[logs.QueryDefinition]:
    """Saves every query on `monitoring`; those over the functions' logs only when there are functions."""
    flow_logs = logs.LogGroup.from_log_group_name(monitoring, "ConnectFlowLogs", monitoring.config.monitoring.connect_flow_log_group)
    function_logs = [function.log_group for function in monitoring.functions.values()]
    if monitoring.hours_overrides is not None:
        function_logs.append(monitoring.hours_overrides.function.log_group)
    definitions = [_save(monitoring, name, query, [flow_logs]) for name, query in _on_flow_logs().items()]
    if function_logs:
        definitions += [_save(monitoring, name, query, function_logs) for name, query in _on_function_logs().items()]
    return definitions


def _save(monitoring: IvrMonitoring, name: str, query: logs.QueryString, log_groups: Sequence[logs.ILogGroup]) -> logs.QueryDefinition:
    construct_id = "Query" + "".join(part.capitalize() for part in name.split("-"))
    return logs.QueryDefinition(
        monitoring, construct_id, query_definition_name=f"{monitoring.prefix}/{name}", query_string=query, log_groups=log_groups
    )
