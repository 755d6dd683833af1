"""Cold start: a dip imports only what it uses (no boto3, botocore's client machinery, pydantic,
requests or the X-Ray SDK at import; botocore's session is imported on the first API key read).

Powertools itself imports the tiny `botocore` package (for its user agent) and jmespath (Logger):
those come with the shared observability module and are not checked here.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HEAVY = ("boto3", "botocore.session", "botocore.client", "pydantic", "requests", "aws_xray_sdk")


@pytest.mark.parametrize("dip", ["order_status", "customer_lookup", "interaction_log"])
def test_importing_a_dip_loads_no_heavy_module(dip):
    code = f"import sys, json, lambdas.{dip}.handler; print(json.dumps(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                            timeout=60).stdout
    assert not set(json.loads(loaded.splitlines()[-1])) & set(HEAVY)


@pytest.mark.parametrize("dip", ["order_status", "customer_lookup", "interaction_log"])
def test_a_dip_imports_from_its_deployed_asset_alone(dip, tmp_path, monkeypatch):
    """The asset holds lambdas/common and lambdas/<dip> only (infra.lambda_function.stage_code)."""
    from infra import lambda_function

    monkeypatch.setattr(lambda_function, "STAGING_DIR", tmp_path)
    asset = lambda_function.stage_code(dip)
    code = f"import sys; sys.path.insert(0, {str(asset)!r}); import lambdas.{dip}.handler as h; print(h.__file__)"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.strip().splitlines()[-1].startswith(str(asset))
