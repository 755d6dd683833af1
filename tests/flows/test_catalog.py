"""The action catalog: every entry comes from a reference page and has fixtures that prove it.

A good fixture (console-shaped, static and dynamic forms) is accepted with no error; a bad one is
refused by the rule that should refuse it. A catalog entry without fixtures fails here.
"""
from __future__ import annotations

import pytest

from flow_language import ACTIONS, ERROR, validate_flow
from flow_language.spec import DEVELOPER_GUIDE, REFERENCE
from tests.flows.catalog_fixtures import BAD, GOOD, Fixture, console_flow, dynamic_variant, step


def errors_of(fixture: Fixture) -> list[tuple[str, str]]:
    problems = validate_flow(console_flow(fixture), name=f"{fixture.id}.json", placeholders_allowed=True,
                             module=fixture.flow_type is None, **fixture.options)
    return [(problem.rule, problem.message) for problem in problems if problem.severity == ERROR]


def _good() -> list:
    fixtures = [fixture for entries in GOOD.values() for fixture in entries]
    variants = [variant for variant in map(dynamic_variant, fixtures) if variant is not None]
    return [pytest.param(f, id=f"{f.action['Type']}-{f.id}") for f in [*fixtures, *variants]]


def _bad() -> list:
    return [pytest.param(f, id=f"{f.action['Type']}-{f.id}") for entries in BAD.values() for f in entries]


def test_every_catalog_type_has_good_and_bad_fixtures():
    assert sorted(ACTIONS) == sorted(GOOD) == sorted(BAD)
    assert all(fixture.action["Type"] == type_ for fixtures in (GOOD, BAD) for type_, entries in fixtures.items()
               for fixture in entries)


@pytest.mark.parametrize("fixture", _good())
def test_a_good_fixture_is_accepted(fixture):
    assert errors_of(fixture) == []


@pytest.mark.parametrize("fixture", _bad())
def test_a_bad_fixture_is_refused_by_its_rule(fixture):
    found = errors_of(fixture)
    assert any(rule == fixture.rule and fixture.fragment in message for rule, message in found), found


def test_dynamic_forms_are_exercised():
    assert sum(dynamic_variant(f) is not None for entries in GOOD.values() for f in entries) >= 30


@pytest.mark.parametrize("spec", ACTIONS.values(), ids=list(ACTIONS))
def test_every_entry_names_its_reference_page_and_family(spec):
    assert spec.url.startswith((REFERENCE, DEVELOPER_GUIDE)) and spec.url.endswith(".html")
    assert spec.family in ("participant", "flow control", "contact", "interaction")
    assert ACTIONS[spec.type] is spec


@pytest.mark.parametrize("action_type", ["CheckMetricData", "UpdateContactTextToSpeechVoice", "CreateCallbackContact",
                                         "GetParticipantInput"])
def test_where_the_catalog_departs_from_the_reference_its_entry_says_why(action_type):
    assert ACTIONS[action_type].note


def test_a_flow_in_another_tools_template_syntax_gets_one_error_not_one_per_use():
    actions = [step("TransferToFlow", {"ContactFlowId": f"{{{{contactFlows.Step{n}.arn}}}}"}, name=str(n))
               for n in range(40)]
    document = console_flow(Fixture("templated", actions[0]))
    document["Actions"] = [*actions, document["Actions"][-1]]
    problems = validate_flow(document, name="templated.json", placeholders_allowed=True)
    placeholder = [p for p in problems if p.rule == "placeholder"]
    assert len(placeholder) == 1 and placeholder[0].severity == ERROR
    assert "{{contactFlows.Step0.arn}} and 39 other expressions, in 40 places" in placeholder[0].message


def test_our_own_placeholder_syntax_is_still_checked_string_by_string():
    broken = step("TransferToFlow", {"ContactFlowId": "{{sales_flow_arn}"})
    problems = validate_flow(console_flow(Fixture("ours", broken)), name="ours.json", placeholders_allowed=True)
    assert [(p.action_id, p.rule) for p in problems if p.severity == ERROR] == [(broken["Identifier"], "placeholder")]

