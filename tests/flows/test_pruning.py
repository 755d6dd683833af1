"""A flow deployed without some of its blocks (flow_language/pruning.py): what led to a block passed
by leads on along its NextAction, and what only it reached is left out."""
from __future__ import annotations

import json

import pytest

from flow_language.pruning import PruningError, without_blocks
from tests.flows.builders import CUSTOM, END, GOODBYE, compare, disconnect, findings, flow, message, stored_input

# greeting -> offer (a Compare: "true" to the secret branch, otherwise thanks) -> thanks -> goodbye -> end


def offering_flow() -> dict:
    ask_secret = stored_input("ask-secret", InputValidation=CUSTOM)
    ask_secret["Transitions"]["NextAction"] = "secret-said"
    document = flow(
        message("greeting", "Welcome.", next_action="offer"),
        compare("offer", conditions=(("Equals", "true", "ask-secret"),), value="$.External.offered",
                next_action="thanks", errors=(("NoMatchingCondition", "thanks"),)),
        message("thanks", "Thanks.", next_action=GOODBYE),
        ask_secret,
        message("secret-said", "Thank you.", next_action=GOODBYE),
        message(GOODBYE, "Goodbye.", next_action=END),
        disconnect(),
    )
    document["Metadata"] = {"ActionMetadata": {a["Identifier"]: {"position": {"x": 0, "y": i}}
                                               for i, a in enumerate(document["Actions"])}}
    return document


def identifiers(document: dict) -> list[str]:
    return [action["Identifier"] for action in document["Actions"]]


def test_what_led_to_the_block_leads_where_its_default_branch_goes():
    pruned = without_blocks(offering_flow(), {"offer"})
    greeting = pruned["Actions"][0]
    assert greeting["Transitions"]["NextAction"] == "thanks"
    assert identifiers(pruned) == ["greeting", "thanks", "goodbye", "end"]


def test_only_what_the_block_alone_reached_is_left_out_with_its_layout():
    document = offering_flow()
    pruned = without_blocks(document, {"offer"})
    assert set(identifiers(document)) - set(identifiers(pruned)) == {"offer", "ask-secret", "secret-said"}
    assert set(pruned["Metadata"]["ActionMetadata"]) == set(identifiers(pruned))
    assert findings(pruned, strict=True) == []  # still a whole flow: nothing dangling, nothing unreachable


def test_the_file_as_written_is_not_changed():
    document = offering_flow()
    before = json.dumps(document)
    without_blocks(document, {"offer"})
    assert json.dumps(document) == before


def test_a_start_block_passed_by_moves_the_start_on():
    document = offering_flow()
    document["StartAction"] = "offer"
    pruned = without_blocks(document, {"offer"})
    assert pruned["StartAction"] == "thanks"
    assert not {"offer", "ask-secret", "secret-said"} & set(identifiers(pruned))


def test_blocks_passed_by_in_a_row_lead_past_them_all():
    pruned = without_blocks(offering_flow(), {"greeting", "offer"})
    assert pruned["StartAction"] == "thanks"
    assert identifiers(pruned) == ["thanks", "goodbye", "end"]


@pytest.mark.parametrize(("blocks", "problem"), [
    ({"pin-offered"}, "is deployed without its block 'pin-offered', but has no action of that Identifier"),
    ({"end"}, "is deployed without its block 'end', which has no NextAction to lead on to"),
])
def test_a_block_that_cannot_be_passed_by_is_refused_in_one_line(blocks, problem):
    with pytest.raises(PruningError) as refused:
        without_blocks(offering_flow(), blocks)
    assert str(refused.value) == problem


def test_blocks_whose_next_actions_go_round_in_a_circle_are_refused():
    document = offering_flow()
    document["Actions"][5]["Transitions"]["NextAction"] = "thanks"  # goodbye -> thanks -> goodbye
    with pytest.raises(PruningError, match="lead round in a circle"):
        without_blocks(document, {"thanks", "goodbye"})
