#!/usr/bin/env python3
"""The CDK app: `npx cdk synth` / `make synth` run this file.

It reads and validates the configuration (cdk.json context), builds the IVR stack and checks it
with cdk-nag. A problem in the user's files (configuration, a contact flow) stops synth with its
message and no stack trace.
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App  # noqa: E402

from configuration.errors import ConfigError  # noqa: E402
from configuration.model import load_config  # noqa: E402
from infra.errors import StopSynth  # noqa: E402
from infra.nag import add_cdk_nag  # noqa: E402
from infra.stack import IvrStack  # noqa: E402

CDK_JSON = Path(__file__).resolve().parent / "cdk.json"


def build_app(context_overrides: dict | None = None, outdir: str | None = None) -> tuple[App, IvrStack]:
    """The app with cdk.json's context, so `python app.py` and tests see what `npx cdk` sees.

    Values the CDK CLI passes (`-c key=value`) take precedence over these, as in any CDK app.
    """
    context = {**json.loads(CDK_JSON.read_text())["context"], **(context_overrides or {})}
    app = App(context=context, outdir=outdir)
    config = load_config(dict(app.node.get_all_context()))
    stack = IvrStack(app, f"ConnectIvr-{config.environment}", config=config)
    add_cdk_nag(app)
    return app, stack


def main() -> int:
    try:
        app, _ = build_app()
        app.synth()
    except (ConfigError, StopSynth) as problem:
        print(f"synth stopped: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
