"""`ivr flows survey DIR`: the counts a team reads to see how the tools fare on flows they did not write."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ivr.cli import main
from tests.flows.builders import action, flow, flow_with, lambda_invoke

MADE_UP_TYPE = "PlayJingle"  # in no reference: the simulator must stop on it, with the reason


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("others")
    (root / "team-a").mkdir()
    (root / "team-a" / "welcome.json").write_text(json.dumps(flow_with()))
    (root / "team-a" / "too_slow.json").write_text(json.dumps(flow_with(lambda_invoke(InvocationTimeLimitSeconds="9"))))
    # The console's export has no extension.
    (root / "team-a" / "Exported flow").write_text(json.dumps(flow(action("jingle", MADE_UP_TYPE, next_action=None))))
    (root / "package.json").write_text(json.dumps({"name": "not-a-flow", "version": "1.0.0"}))
    (root / "notes.txt").write_text("{ not looked at: neither .json nor extension-less }")
    (root / "node_modules").mkdir()
    (root / "node_modules" / "dependency.json").write_text(json.dumps(flow_with()))
    return root


def survey(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["flows", "survey", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_counts_accepted_rejected_and_other_json(capsys, folder):
    code, report = survey(capsys, "--no-simulate", str(folder))
    assert code == 0
    assert report["summary"]["files"] == 4  # node_modules and notes.txt left out
    assert report["summary"]["validator"] == {"accepted": 1, "rejected": 2, "not a flow": 1}
    by_name = {Path(result["path"]).name: result for result in report["files"]}
    assert by_name["too_slow.json"]["validator"] == "rejected"
    assert "InvocationTimeLimitSeconds" in by_name["too_slow.json"]["first_error"]
    assert by_name["package.json"]["validator"] == "not a flow"


def test_one_call_through_each_flow_counts_ends_and_stops_with_the_reason(capsys, folder):
    code, report = survey(capsys, str(folder))
    assert code == 0
    by_name = {Path(result["path"]).name: result for result in report["files"]}
    assert by_name["welcome.json"]["simulator"] == "ended"
    assert by_name["Exported flow"]["simulator"] == "stopped"
    assert MADE_UP_TYPE in by_name["Exported flow"]["outcome"]
    assert by_name["package.json"]["simulator"] == ""  # not a flow: no call made
    assert report["summary"]["simulator"]["crashed"] == 0
    assert [cause for cause, _ in report["summary"]["stops"]] == [by_name["Exported flow"]["outcome"].partition("): ")[2]]


def test_text_output_ends_with_the_totals(capsys, folder):
    assert main(["flows", "survey", "--no-simulate", str(folder)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("surveyed 4 files: validator accepted 1, rejected 2, 1 not a flow")


def test_a_missing_folder_is_a_usage_error_with_nothing_run(capsys, tmp_path):
    assert main(["flows", "survey", str(tmp_path / "nowhere")]) == 2
    assert "not a folder" in capsys.readouterr().err
