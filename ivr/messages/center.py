"""The contact center as `ivr messages` sees it from the repository (cdk.json and contact_flows/)."""
from __future__ import annotations

import json
from pathlib import Path

from lambdas.messages_editing.center import Center

REPO_ROOT = Path(__file__).resolve().parents[2]
CDK_JSON = REPO_ROOT / "cdk.json"
FLOWS_FOLDER = REPO_ROOT / "contact_flows"


def load_center() -> Center:
    """The deployment's settings as synth reads them (ConfigError, one line, when cdk.json is wrong)."""
    from configuration.model import load_config
    from configuration.runtime_values import messages_center
    from flow_language.files import load_flow_files
    from flow_language.translations import message_scopes

    config = load_config(json.loads(CDK_JSON.read_text(encoding="utf-8"))["context"])
    return messages_center(config, message_scopes(load_flow_files(FLOWS_FOLDER)))
