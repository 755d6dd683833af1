"""The app as a whole: it synthesizes clean under cdk-nag and cfn-lint, and stops clearly on bad config."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def acknowledgements(assembly_dir: Path) -> dict[str, dict[str, str]]:
    """construct path -> {finding id: reason}: every acknowledgement recorded in the synthesized stacks."""
    manifest = json.loads((assembly_dir / "manifest.json").read_text())
    found: dict[str, dict[str, str]] = {}
    for artifact in manifest["artifacts"].values():
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        metadata = dict(artifact.get("metadata", {}))
        if "additionalMetadataFile" in artifact:
            metadata.update(json.loads((assembly_dir / artifact["additionalMetadataFile"]).read_text()))
        for path, entries in metadata.items():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    found.setdefault(path, {}).update(entry["data"])
    return found


def test_synthesis_passes_cdk_nag_with_every_acknowledgement_reasoned(synthesized_app, assembly_dir):
    # The fixture's app.synth() raises on any finding that is not acknowledged; its report lists none.
    report = json.loads((assembly_dir / "validation-report.json").read_text())
    findings = [(plugin["summary"]["pluginName"], violation["ruleName"])
                for plugin in report["pluginReports"] for violation in plugin.get("violations", [])]
    assert findings == []
    acknowledged = acknowledgements(assembly_dir)
    assert any(finding.startswith(("AwsSolutions", "Annotation::AwsSolutions"))
               for by_id in acknowledged.values() for finding in by_id)  # the acknowledgements reached the assembly
    unreasoned = [(path, finding, reason) for path, by_id in acknowledged.items() for finding, reason in by_id.items()
                  if not isinstance(reason, str) or len(reason.split()) < 4]
    assert unreasoned == []  # each one says why, in a sentence


def test_cdk_nag_stops_synthesis_on_a_finding_that_is_not_acknowledged(tmp_path):
    from aws_cdk import App, Stack
    from aws_cdk import aws_sqs as sqs

    from infra.nag import add_cdk_nag

    app = App(outdir=str(tmp_path / "cdk.out"))
    sqs.Queue(Stack(app, "Probe"), "Queue")  # no dead-letter queue, SSL not required
    add_cdk_nag(app)
    with pytest.raises(Exception, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "cdk.out" / "validation-report.json").read_text())
    rules = {violation["ruleName"] for plugin in report["pluginReports"] for violation in plugin["violations"]}
    assert {"AwsSolutions-SQS3", "AwsSolutions-SQS4"} <= rules


def test_cfn_lint_finds_no_problem_in_the_synthesized_template(assembly_dir):
    templates = sorted(str(p) for p in assembly_dir.glob("*.template.json"))
    assert templates
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), "--ignore-checks", "W3005", "--", *templates],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _synth_with(outdir: Path, *context: str) -> subprocess.CompletedProcess:
    """Run app.py as the CDK CLI would, with `-c key=value` overrides."""
    overrides = dict(item.split("=", 1) for item in context)
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(overrides), "CDK_OUTDIR": str(outdir)}
    return subprocess.run([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_wrong_configuration_value_stops_synth_with_one_line_naming_the_key(tmp_path):
    result = _synth_with(tmp_path / "cdk.out", "time_zone=Mars/Olympus_Mons")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["synth stopped: cdk.json context 'time_zone' must be an IANA time zone like 'America/New_York', got 'Mars/Olympus_Mons'"]


def test_lambda_code_is_staged_safely_by_syntheses_running_at_once(tmp_path, monkeypatch):
    """Two syntheses at once (a test run and `make synth`) each get a complete asset directory."""
    import threading

    from infra import lambda_function

    monkeypatch.setattr(lambda_function, "STAGING_DIR", tmp_path)
    staged: list[Path] = []
    workers = [threading.Thread(target=lambda: staged.append(lambda_function.stage_code("order_status"))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(staged) == 4 and len(set(staged)) == 1
    (asset,) = set(staged)
    assert [p.name for p in tmp_path.iterdir()] == [asset.name]  # no half-staged leftovers
    shipped = sorted(p.relative_to(asset).as_posix() for p in asset.rglob("*.py"))
    assert "lambdas/order_status/handler.py" in shipped and "lambdas/common/http.py" in shipped
    assert not any(p.startswith(("lambdas/sms_deflection", "lambdas/closure_check")) for p in shipped)
    assert (asset / "lambdas/common/http.py").read_bytes() == (REPO_ROOT / "lambdas/common/http.py").read_bytes()


@pytest.mark.parametrize("folder", ["customer_lookup", "interaction_log", "sms_deflection"])
def test_a_function_asset_checks_phone_numbers_without_the_phonenumbers_library(tmp_path, monkeypatch, folder):
    """The numbering plans ship with the function, and its code needs nothing outside the asset to read them."""
    from infra import lambda_function

    monkeypatch.setattr(lambda_function, "STAGING_DIR", tmp_path)
    asset = lambda_function.stage_code(folder)
    check = ("import sys; from lambdas.common.phone import normalize_e164; "
             "print(normalize_e164('(415) 555-0123'), normalize_e164('+1415555010'), 'phonenumbers' in sys.modules)")
    # -S: no site-packages, so phonenumbers cannot be imported; -E: no PYTHONPATH back to the repository
    result = subprocess.run([sys.executable, "-S", "-E", "-c", check], cwd=asset, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.split()) == (0, ["+14155550123", "None", "False"]), result.stderr
