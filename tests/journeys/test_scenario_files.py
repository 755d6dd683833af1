"""Scenario files give what the caller says to a bot (`say`) and the data file's world (`data`)
as `ivr call --say` and `--data` do; a malformed one is refused when the file is read."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from testkit.journeys import ScenarioError, load_scenarios, run_scenario

SCENARIO = """
scenarios:
  - id: bot-turns
    requirement: CX-5
    at: 2026-11-24T10:00
    keys: "1"
    say: ["track parcel 12", "-"]
    data: {bots: {PARCELBOT: {intents: {TrackParcel: {utterances: ["track parcel {N}"]}}}}}
    expect: {outcome: disconnected}
"""


class RecordingSession:
    """Stands in for LocalSession: keeps what run_scenario hands to call()."""

    services = SimpleNamespace(config=SimpleNamespace(time_zone="America/New_York"))

    def call(self, flow: str, settings: Any, caller: Any, **options: Any) -> dict:
        return {"flow": flow, "caller": caller, **options}


def test_say_and_data_reach_the_call(tmp_path: Path):
    (tmp_path / "bots.yaml").write_text(SCENARIO)
    (scenario,) = load_scenarios(tmp_path)
    session: Any = RecordingSession()
    given: Any = run_scenario(session, scenario)
    assert given["caller"].said == ["track parcel 12", "-"] and given["caller"].tokens == ["1"]
    bot = given["data"].bot(["PARCELBOT"])
    assert bot.understand("Track parcel 12") == ("TrackParcel", {"N": "12"})


@pytest.mark.parametrize("replace, message", [
    (('say: ["track parcel 12", "-"]', 'say: "track parcel 12"'), "say is a list of sentences"),
    (("data: {bots:", "data: {robots:"), "unknown sections ['robots']"),
])
def test_a_malformed_say_or_data_is_refused(tmp_path: Path, replace: tuple[str, str], message: str):
    (tmp_path / "bots.yaml").write_text(SCENARIO.replace(*replace))
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_scenarios(tmp_path)
