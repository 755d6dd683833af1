"""Cold start: a dip imports only what it uses (no boto3, botocore's client machinery, pydantic,
requests or the X-Ray SDK at import; botocore's session is imported on the first API key read).

Powertools itself imports the tiny `botocore` package (for its user agent) and jmespath (Logger):
those come with the shared observability module and are not checked here.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tests.dips.conftest import KEY_READ_BUDGET_MS

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


_CONTAINER_LIFE = """
import gc, json
from lambdas.common.http import reset_backend_client
from lambdas.order_status.handler import lambda_handler

def answer(order_id):
    event = {"Details": {"Parameters": {"order_id": order_id}, "ContactData": {"ContactId": "c", "Channel": "VOICE"}}}
    return lambda_handler(event, None)["result"]

seen = {"rejected": answer("not-an-order-id"), "frozen_before_key": gc.get_freeze_count()}
seen["answered"] = answer("12345678")
gc.collect()
seen["left_to_walk"], seen["frozen"] = len(gc.get_objects()), gc.get_freeze_count()
reset_backend_client()  # a second client reads the key again: the first freeze stays the only one
seen["answered_again"] = answer("12345678")
gc.collect()
seen["left_to_walk_after_second_key"], seen["frozen_after_second_key"] = len(gc.get_objects()), gc.get_freeze_count()
print(json.dumps(seen))
"""


def test_after_its_first_key_read_a_container_leaves_its_long_lived_objects_out_of_garbage_collection(
        cold_dip_env, backend_secret_arn, moto_endpoint):
    """A full collection in a warm container walks only what calls made (benchmarks/bench_dips.py
    measures the pause: ~13 ms on a full core without, 0.04 ms with)."""
    # A fresh container's first key read builds botocore's client: on a loaded machine that alone
    # outlasts the dips' test budget, and this test is about what stays in memory, not about time.
    env = {**os.environ, "AWS_ENDPOINT_URL": moto_endpoint, "BACKEND_BASE_URL": cold_dip_env.url,
           "BACKEND_API_KEY_SECRET_ARN": backend_secret_arn, "POWERTOOLS_LOG_LEVEL": "ERROR",
           "DIP_BUDGET_MS": str(KEY_READ_BUDGET_MS)}
    result = subprocess.run([sys.executable, "-c", _CONTAINER_LIFE], cwd=REPO_ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-1500:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert (seen["rejected"], seen["answered"], seen["answered_again"]) == ("INVALID_INPUT", "FOUND", "FOUND")
    assert seen["frozen_before_key"] == 0  # a container that never reads the key never freezes
    assert seen["left_to_walk"] * 20 < seen["frozen"]
    # the second client stays in the collector's sight (a freeze per client would keep its cycles for ever)
    assert seen["frozen_after_second_key"] <= seen["frozen"]
    assert seen["left_to_walk_after_second_key"] > seen["left_to_walk"] + 1000


@pytest.mark.parametrize("module", ["lambdas.caller_verification.handler", "lambdas.caller_verification.service",
                                    "lambdas.order_status.handler", "lambdas.sms_deflection.handler"])
def test_the_encryption_sdk_is_imported_by_the_first_pin_only(module):
    """aws_encryption_sdk (and the cryptography it loads) costs a cold start; only a PIN to check pays it."""
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                            timeout=60).stdout
    assert not {name.split(".")[0] for name in json.loads(loaded.splitlines()[-1])} & {"aws_encryption_sdk", "cryptography"}
