"""One source of truth for metric names (DD-7, OPS-1).

Alarms and dashboard read `lambdas.common.observability`; the functions emit through the same
catalog. If either side spells a name by hand, or a function stops emitting a metric an alarm
watches, these tests fail.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from lambdas.common.observability import NAMESPACE, RESULTS_BY_SERVICE, MetricName, result_metric_name
from testkit.template_reading import alarms, dashboard_widgets, watched
from tests.conftest import REPO_ROOT

CATALOG = {m.value for m in MetricName} | {result_metric_name(r) for results in RESULTS_BY_SERVICE.values() for r in results}
LAMBDA_SOURCES = sorted(p for p in (REPO_ROOT / "lambdas").rglob("*.py") if "__pycache__" not in p.parts)


def _trees() -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text(), str(path)) for path in LAMBDA_SOURCES}


def _calls(tree: ast.AST, method: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, (ast.Attribute, ast.Name))
            and (n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id) == method]


def _emitted_members(service: str) -> set[str]:
    """MetricName members referred to by `service`'s own code or the shared code it runs with."""
    members = set()
    for path, tree in _trees().items():
        folder = path.relative_to(REPO_ROOT / "lambdas").parts[0]
        if folder not in (service, "common") or path.name == "observability.py":
            continue
        members |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "MetricName"}
    return members


def _dashboard_metric_names(template_json) -> set[str]:
    names = set()
    for widget in dashboard_widgets(template_json):
        for row in widget.get("properties", {}).get("metrics", []):
            if isinstance(row, list) and len(row) >= 2 and row[0] == NAMESPACE:
                names.add(row[1])
    return names


def test_every_metric_an_alarm_or_the_dashboard_reads_in_our_namespace_is_in_the_catalog(template_json):
    watched_names = {w.name for alarm in alarms(template_json).values() for w in watched(alarm) if w.namespace == NAMESPACE}
    shown = _dashboard_metric_names(template_json)
    assert watched_names | shown <= CATALOG
    assert all(w.dimensions.keys() == {"service"} for a in alarms(template_json).values() for w in watched(a) if w.namespace == NAMESPACE)


def test_every_catalog_metric_an_alarm_watches_is_emitted_by_that_function(template_json):
    by_value = {m.value: m.name for m in MetricName}
    watched_by_service: dict[str, set[str]] = {}
    for alarm in alarms(template_json).values():
        for w in watched(alarm):
            if w.namespace == NAMESPACE and w.name in by_value:
                watched_by_service.setdefault(w.dimensions["service"], set()).add(by_value[w.name])
    for service, members in watched_by_service.items():
        assert members <= _emitted_members(service), f"alarms watch metrics {service} never emits"


def test_lambda_code_names_metrics_only_through_the_catalog():
    for path, tree in _trees().items():
        for call in _calls(tree, "add_metric"):
            name = next((k.value for k in call.keywords if k.arg == "name"), call.args[0] if call.args else None)
            assert name is not None, f"{path}:{call.lineno}"
            assert not isinstance(name, (ast.Constant, ast.JoinedStr, ast.BinOp)), f"{path}:{call.lineno} spells a metric name by hand"


def test_lambda_code_adds_no_metric_dimension_beyond_service():
    # Alarms match dimensions exactly: one more dimension and they would watch nothing.
    for path, tree in _trees().items():
        assert not _calls(tree, "add_dimension"), path
        assert not _calls(tree, "set_default_dimensions"), path


def _producible_results(service: str) -> set[str]:
    """Result classes `service`'s code can answer: the result-shaped string literals (`NOT_FOUND`) in its
    own folder, plus those of lambdas/common/contact_flow_handler.py when it runs through that decorator."""
    folder = REPO_ROOT / "lambdas" / service
    sources = [p for p in LAMBDA_SOURCES if folder in p.parents]
    if any(_calls(tree, "contact_flow_handler") for path, tree in _trees().items() if path in sources):
        sources.append(REPO_ROOT / "lambdas" / "common" / "contact_flow_handler.py")
    literals = set()
    for path in sources:
        tree = ast.parse(path.read_text(), str(path))
        literals |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return {value for value in literals if re.fullmatch(r"[A-Z][A-Z0-9_]*", value)}


def test_every_result_class_in_the_catalog_is_one_its_function_can_answer():
    # A result listed but never produced puts a line that stays at zero on the dashboard, and an
    # alarm on it would never fire.
    assert RESULTS_BY_SERVICE
    for service, results in RESULTS_BY_SERVICE.items():
        assert (REPO_ROOT / "lambdas" / service / "handler.py").is_file(), f"{service} is not a function"
        never = sorted(set(results) - _producible_results(service))
        assert not never, f"RESULTS_BY_SERVICE[{service!r}] lists {never}, which {service}'s code never answers"


def test_result_metric_names_are_distinct_per_service():
    for service, results in RESULTS_BY_SERVICE.items():
        names = [result_metric_name(r) for r in results]
        assert len(set(names)) == len(names), service
        assert not set(names) & {m.value for m in MetricName}, service
