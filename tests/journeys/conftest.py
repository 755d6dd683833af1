"""One local world for the whole journey suite: moto, the fake backend, our flows and Lambdas."""
from __future__ import annotations

import pytest

from ivr.simulator.session import LocalSession
from testkit.journeys import run_scenario


@pytest.fixture(scope="session")
def journey_session():
    # Asynchronous dips (the interaction log) are not waited for: the caller never waits for them.
    with LocalSession(async_wait_seconds=0) as session:
        yield session


@pytest.fixture(scope="session")
def journey_calls(journey_session):
    """Scenario id -> transcript, each scenario run once per session (shared with the coverage test)."""
    done: dict = {}

    def call(scenario):
        if scenario.id not in done:
            done[scenario.id] = run_scenario(journey_session, scenario)
        return done[scenario.id]

    return call
