"""The real exported flows in tests/reference_flows pass with no error, and breaking one
(a dropped target, a duplicated id, a removed required branch, corrupt JSON) is caught."""
from __future__ import annotations

import copy
import json

import pytest

from flow_language import check_files, validate_flow
from tests.flows.builders import reference_flow_paths

PATHS = reference_flow_paths()
FLOWS = {path.name: json.loads(path.read_text()) for path in PATHS}


def test_the_reference_flows_are_there():
    assert len(PATHS) >= 8


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_reference_flow_has_no_error(path):
    errors = [str(p) for p in check_files([path]) if p.severity == "error"]
    assert errors == []


def errors_of(document) -> set[tuple[str, str]]:
    return {(p.rule, p.action_id) for p in validate_flow(document, name="f.json", placeholders_allowed=True)
            if p.severity == "error"}


@pytest.mark.parametrize("name", FLOWS)
def test_a_dropped_target_is_caught(name):
    document = copy.deepcopy(FLOWS[name])
    for action in document["Actions"]:
        if "NextAction" in action["Transitions"]:
            action["Transitions"]["NextAction"] = "deleted-block"
            assert ("next-action", action["Identifier"]) in errors_of(document)
            return
    pytest.fail(f"{name} has no NextAction")


@pytest.mark.parametrize("name", FLOWS)
def test_a_removed_target_action_is_caught(name):
    document = copy.deepcopy(FLOWS[name])
    removed = document["Actions"].pop(-1)["Identifier"]
    pointing = {a["Identifier"] for a in document["Actions"] if removed in json.dumps(a["Transitions"])}
    if document["StartAction"] == removed:
        assert ("start-action", "-") in errors_of(document)
    else:
        assert pointing and {("next-action", source) for source in pointing} <= errors_of(document)


@pytest.mark.parametrize("name", FLOWS)
def test_a_duplicated_identifier_is_caught(name):
    document = copy.deepcopy(FLOWS[name])
    first, second = document["Actions"][:2]
    second["Identifier"] = first["Identifier"]
    assert ("identifier-unique", first["Identifier"]) in errors_of(document)


INPUTS = [(name, action["Identifier"]) for name, document in FLOWS.items() for action in document["Actions"]
          if action["Type"] == "GetParticipantInput"]


@pytest.mark.parametrize("name, identifier", INPUTS)
def test_a_removed_required_error_branch_is_caught(name, identifier):
    document = copy.deepcopy(FLOWS[name])
    action = next(a for a in document["Actions"] if a["Identifier"] == identifier)
    action["Transitions"]["Errors"] = [e for e in action["Transitions"]["Errors"] if e["ErrorType"] != "NoMatchingError"]
    assert ("required-error-branch", identifier) in errors_of(document)


@pytest.mark.parametrize("name", FLOWS)
def test_an_error_type_the_action_cannot_raise_is_caught(name):
    document = copy.deepcopy(FLOWS[name])
    action = next(a for a in document["Actions"] if a["Type"] == "DisconnectParticipant")
    action["Transitions"] = {"Errors": [{"ErrorType": "NoMatchingError", "NextAction": action["Identifier"]}]}
    assert ("error-types", action["Identifier"]) in errors_of(document)


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_corrupt_json_is_caught(path):
    text = path.read_text()
    problems = validate_flow(text[: len(text) // 2], name=path.name, placeholders_allowed=True)
    assert [(p.rule, p.severity) for p in problems] == [("json", "error")]
    assert problems[0].message.startswith("not valid JSON: ")


def _paths(value, path=()):
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, (*path, key))


def test_validate_flow_never_raises_on_a_badly_shaped_flow():
    """Every value of a real menu flow (its actions and its Metadata, given a flow type) replaced,
    one at a time, by a value of the wrong JSON type: the validator reports, it never raises."""
    original = copy.deepcopy(FLOWS["customer_support_menu.json"])
    original.setdefault("Metadata", {})["type"] = "contactFlow"
    for path in _paths(original):
        if not path:
            continue
        for junk in (None, [], {}, 1):
            document = copy.deepcopy(original)
            parent = document
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = junk
            validate_flow(document, name="f.json", placeholders_allowed=True)
