"""The `{{name}}` placeholders of our flow files: their syntax, what each kind stands for, and
the one function that fills them.

A flow file in `contact_flows/` names every instance-specific resource by a placeholder whose
suffix says what kind of resource it is; the deployment (infra) fills them with real ARNs and the
simulator with local stand-ins. Both read the kinds from `SUFFIXES` and fill with `fill`:

    {{order_status_lambda_arn}}   a function of lambdas/           ("lambda", "order_status")
    {{order_status_time_limit}}   that dip's InvocationTimeLimitSeconds
    {{orders_queue_arn}}          a queue                          ("queue", "orders")
    {{business_hours_arn}}        hours of operation
    {{after_hours_flow_arn}}      another flow file
    {{order_status_module_id}}    a flow module file
    {{website}}                   a setting (no suffix)
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

# The only placeholder syntax a flow file may use.
PLACEHOLDER_PATTERN = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")

ResourceKind = Literal["lambda", "time_limit", "queue", "hours", "flow", "module"]
SUFFIXES: Mapping[ResourceKind, str] = {
    "lambda": "_lambda_arn",
    "time_limit": "_time_limit",
    "queue": "_queue_arn",
    "hours": "_hours_arn",
    "flow": "_flow_arn",
    "module": "_module_id",
}


def placeholder(kind: ResourceKind, subject: str) -> str:
    """The placeholder name for a resource: ("queue", "orders") -> "orders_queue_arn"."""
    return subject + SUFFIXES[kind]


def resource_of(name: str) -> tuple[ResourceKind, str] | None:
    """(kind, subject) of a placeholder name, or None for a setting: "orders_queue_arn" -> ("queue", "orders")."""
    for kind, suffix in SUFFIXES.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return kind, name[: -len(suffix)]
    return None


def placeholders_in(value: str) -> list[str]:
    """Names of the placeholders in one string, in order."""
    return PLACEHOLDER_PATTERN.findall(value) if "{{" in value else []


def names_in(document: Any) -> set[str]:
    """Every placeholder name anywhere in a parsed document's strings (keys included)."""
    return {name for text in _strings(document) for name in placeholders_in(text)}


def references(document: Any, kind: ResourceKind) -> set[str]:
    """The subjects of one kind a document refers to: references(flow, "flow") -> the flows it transfers to."""
    return {found[1] for found in map(resource_of, names_in(document)) if found and found[0] == kind}


def fill(document: Any, value_of: Mapping[str, Any] | Callable[[str], Any]) -> Any:
    """A copy of `document` with each `{{name}}` inside its strings replaced by its value.

    `value_of` is a mapping or a function; a name it has no value for (None) stays as written, for
    the validator to report. Works on the parsed JSON, so the caller serializes once and any value
    (a quote, a backslash, a CDK token) ends up correctly escaped.
    """
    lookup = value_of.get if isinstance(value_of, Mapping) else value_of

    def replace(match: re.Match[str]) -> str:
        value = lookup(match.group(1))
        return match.group(0) if value is None else str(value)

    return map_strings(document, lambda text: PLACEHOLDER_PATTERN.sub(replace, text) if "{{" in text else text)


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """A copy of a JSON value with every string inside it (keys aside) passed through `change`."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, Mapping):
        return {key: map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [map_strings(item, change) for item in value]
    return value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
