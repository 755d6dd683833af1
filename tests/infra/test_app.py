"""The app as a whole: it synthesizes clean under cdk-nag and cfn-lint, and stops clearly on bad config."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from pathlib import Path

from tests.conftest import REPO_ROOT


def test_synthesis_passes_cdk_nag_with_every_acknowledgement_reasoned(synthesized_app, assembly_dir):
    # The fixture's app.synth() raises on any finding that is not acknowledged.
    report = assembly_dir / "validation-report.json"
    if report.exists():
        assert '"FAILURE"' not in report.read_text() and '"failure"' not in report.read_text()


def test_cfn_lint_finds_no_problem_in_the_synthesized_template(assembly_dir):
    templates = sorted(str(p) for p in assembly_dir.glob("*.template.json"))
    assert templates
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--ignore-checks", "W3005", "--", *templates],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _synth_with(*context: str) -> subprocess.CompletedProcess:
    """Run app.py as the CDK CLI would, with `-c key=value` overrides."""
    overrides = dict(item.split("=", 1) for item in context)
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(overrides), "CDK_OUTDIR": str(REPO_ROOT / ".build" / "bad-config-out")}
    return subprocess.run([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)


def test_a_wrong_configuration_value_stops_synth_with_one_line_naming_the_key():
    result = _synth_with("time_zone=Mars/Olympus_Mons")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["synth stopped: cdk.json context 'time_zone' must be an IANA time zone like 'America/New_York', got 'Mars/Olympus_Mons'"]
