"""Reading the synthesized template: the infra and monitoring tests (the `template_json` fixture) and bench_synth.

CDK writes an alarm's metric either flat (MetricName, Namespace, Dimensions) or as a `Metrics`
list (metric math, labelled metrics); `watched` returns the same shape for both.
"""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Watched:
    namespace: str
    name: str
    dimensions: dict  # Name -> Value (a Ref dict when it points at a resource)
    stat: str


def of_type(template_json: dict, resource_type: str, *, prefix: str = "") -> dict[str, dict]:
    """{logical id: resource} of one type, whose logical ids start with `prefix`."""
    return {k: r for k, r in template_json["Resources"].items() if r["Type"] == resource_type and k.startswith(prefix)}


def properties_of_type(template_json: dict, resource_type: str) -> dict[str, dict]:
    """{logical id: Properties} of one type."""
    return {k: r["Properties"] for k, r in of_type(template_json, resource_type).items()}


def alarms(template_json: dict) -> dict[str, dict]:
    return properties_of_type(template_json, "AWS::CloudWatch::Alarm")


def watched(alarm: dict) -> list[Watched]:
    if "MetricName" in alarm:
        stat = alarm.get("Statistic") or alarm.get("ExtendedStatistic")
        return [Watched(alarm["Namespace"], alarm["MetricName"], _dimensions(alarm.get("Dimensions", [])), stat)]
    found = []
    for query in alarm.get("Metrics", []):
        if "MetricStat" in query:
            metric = query["MetricStat"]["Metric"]
            found.append(Watched(metric["Namespace"], metric["MetricName"], _dimensions(metric.get("Dimensions", [])), query["MetricStat"]["Stat"]))
    return found


def expression(alarm: dict) -> str:
    return " ".join(q["Expression"] for q in alarm.get("Metrics", []) if "Expression" in q)


def alarms_watching(template_json: dict, namespace: str, name: str, **dimensions) -> dict[str, dict]:
    """Alarms with a metric `namespace/name` whose dimensions include `dimensions`."""
    return {
        key: alarm
        for key, alarm in alarms(template_json).items()
        if any(w.namespace == namespace and w.name == name and all(w.dimensions.get(d) == v for d, v in dimensions.items()) for w in watched(alarm))
    }


def dashboard_widgets(template_json: dict) -> list[dict]:
    """The widgets of every dashboard, with CloudFormation tokens replaced by their JSON text."""
    widgets = []
    for dashboard in properties_of_type(template_json, "AWS::CloudWatch::Dashboard").values():
        body = dashboard["DashboardBody"]
        if isinstance(body, dict):  # {"Fn::Join": ["", [parts...]]}
            body = "".join(part if isinstance(part, str) else _token(part) for part in body["Fn::Join"][1])
        widgets.extend(json.loads(body)["widgets"])
    return widgets


def _token(part: dict) -> str:
    if "Ref" in part:
        return f"REF:{part['Ref']}"
    if "Fn::GetAtt" in part:
        return "GETATT:" + ".".join(part["Fn::GetAtt"])
    return "TOKEN"


def _dimensions(dimensions: list[dict]) -> dict:
    return {d["Name"]: d["Value"] for d in dimensions}


def figures(template: dict) -> dict[str, tuple[int, int]]:
    """(alarms, dashboard widgets) that name each function (by service or function) and each flow."""
    subjects = {}
    for key, function in properties_of_type(template, "AWS::Lambda::Function").items():
        service = function.get("Environment", {}).get("Variables", {}).get("POWERTOOLS_SERVICE_NAME")
        if service:
            subjects[f"function {service}"] = (f'"Ref": "{key}"', f"REF:{key}", f'"{service}"')
    for flow in properties_of_type(template, "AWS::Connect::ContactFlow").values():
        subjects[f"flow {flow['Name']}"] = (f'"{flow["Name"]}"',)
    all_alarms = [json.dumps(a) for a in alarms(template).values()]
    widgets = [json.dumps(w) for w in dashboard_widgets(template) if w["type"] != "alarm"]
    return {
        subject: (sum(any(m in a for m in marks) for a in all_alarms), sum(any(m in w for m in marks) for w in widgets))
        for subject, marks in subjects.items()
    }
