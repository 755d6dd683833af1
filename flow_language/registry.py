"""The rule table: what a rule is, what it reports, and the context it reads.

A rule is one small function `check(context) -> Iterable[Finding]` registered with `@rule(...)`
under an id, a base severity and a one-line summary. The validator runs every registered rule
in registration order; `--strict` turns warnings into errors.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from flow_language.model import Flow
from flow_language.placeholders import placeholders_in
from flow_language.translations import FlowTranslations

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
DOCUMENT = "-"  # action_id of a problem about the document as a whole
Derived = TypeVar("Derived")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one flow file, as printed: `file:action_id: severity: message`."""

    file: str
    action_id: str
    severity: Severity
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.action_id}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {
            "file": self.file, "action": self.action_id, "severity": self.severity,
            "rule": self.rule, "message": self.message,
        }


@dataclass(frozen=True)
class Finding:
    """What a rule returns: where (an action identifier or DOCUMENT) and what to fix."""

    action_id: str
    message: str


@dataclass
class Context:
    """One flow under check, with the options that change what the rules expect."""

    flow: Flow
    # True for a source file of contact_flows/ (placeholders are expected, literal ids are not);
    # False for a rendered flow, where every placeholder must have been filled.
    placeholders_allowed: bool
    # Budget in seconds per dip, keyed by the Lambda ARN or its placeholder name.
    dip_budgets_seconds: Mapping[str, float]
    # True for a flow module (known by its content, see exports.kind_by_content): it returns to the flow that invoked it.
    module: bool = False
    # The deployment's languages and this flow's translations (flow_language/translations.py): given
    # for a flow of our folder; None for anyone's flow, whose languages nobody configured here.
    translations: FlowTranslations | None = None
    # What `once` has derived from this flow, by the function that derived it.
    _derived: dict[Callable[[Context], Any], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def document(self) -> Mapping[str, Any]:
        return self.flow.document

    def once(self, derive: Callable[[Context], Derived]) -> Derived:
        """derive(self), computed for the first rule that asks and kept for the others: a walk several
        rules need (every string of the document) is made once per flow checked."""
        if derive not in self._derived:
            self._derived[derive] = derive(self)
        result: Derived = self._derived[derive]
        return result

    def skip_value(self, value: Any) -> bool:
        """A value left for the deploy to fill: its placeholder is judged by the placeholder rule."""
        return isinstance(value, str) and bool(placeholders_in(value))


Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: Check


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, summary: str) -> Callable[[Check], Check]:
    """Register `check` under `rule_id`; the id must be new."""

    def register(check: Check) -> Check:
        if any(existing.id == rule_id for existing in RULES):
            raise ValueError(f"rule {rule_id} registered twice")
        RULES.append(Rule(rule_id, severity, summary, check))
        return check

    return register
