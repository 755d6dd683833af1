"""The AWS sample flows run end to end: every path a caller can take ends with an outcome, never a
crash, and the samples' Lambdas (not in this repository) take their error branch."""
from __future__ import annotations

import pytest

from ivr.simulator import transcript as t
from ivr.simulator.transcript import render_text
from tests.flows.builders import REFERENCE_FLOWS as REFERENCE
from tests.flows.builders import reference_flow_paths

FLOWS = reference_flow_paths()


def test_the_reference_flows_are_there():
    assert len(FLOWS) >= 8


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.stem)
@pytest.mark.parametrize("keys", ["", "1", "2", "3", "4", "5", "6", "7", "9", "1234#"])
def test_every_reference_flow_ends_with_an_outcome(simulate, path, keys):
    call = simulate(str(path), keys=keys)
    assert call.outcome.kind in {t.DISCONNECTED, t.TRANSFERRED, t.ENDED}, render_text(call)


def test_customer_support_menu_routes_each_key_to_its_own_queue(simulate):
    path = str(REFERENCE / "customer_support_menu.json")
    queues = {keys: simulate(path, keys=keys).outcome.queue for keys in "123"}
    assert len(set(queues.values())) == 3 and None not in queues.values()
    assert simulate(path, keys="").heard()[-1] == "We didn't receive your input. Please try again."


def test_sample_lambda_integration_falls_back_when_its_lambda_is_not_local(simulate):
    call = simulate(str(REFERENCE / "sample_lambda_integration.json"))
    (dip,) = call.dips()
    assert dip.data["outcome"] == "missing" and "state-lookup" in dip.data["error"]
    assert "Sorry, we failed to find the state for your phone number's area code." in call.heard()
    assert "not one of the local flows" in call.outcome.description
