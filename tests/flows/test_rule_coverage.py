"""Every rule of the table has at least one test case that triggers it."""
from __future__ import annotations

from flow_language import RULES
from tests.flows import test_caller_experience, test_connect_rules


def test_every_rule_has_a_case_that_triggers_it():
    triggered = {
        param.values[0]
        for module in (test_connect_rules, test_caller_experience)
        for param in module.CASES
        if param.values[2]  # the case expects at least one finding
    }
    assert sorted(rule.id for rule in RULES if rule.id not in triggered) == []


def test_rule_ids_are_unique_and_every_rule_has_a_summary():
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert all(rule.summary and rule.severity in ("error", "warning") for rule in RULES)
