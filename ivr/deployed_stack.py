"""What `ivr flows drift` and `ivr instance-test` share: the deployment's configuration (cdk.json
context, with `-c KEY=VALUE` for one run, as `npx cdk -c` takes them), AWS clients from the
standard credential chain, and a JSON stack output of the deployed stack."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivr.cli import UsageError, key_value

if TYPE_CHECKING:  # the configuration (pydantic) is read only when a command runs, not to build `ivr flows`' parser
    from configuration.model import IvrConfig

CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", help="the deployed stack (default: ConnectIvr-<environment> from cdk.json)")
    parser.add_argument("-c", "--context", action="append", default=[], metavar="KEY=VALUE",
                        help="a cdk.json context value for this run, as `npx cdk -c` takes it (e.g. environment=prod)")
    parser.add_argument("--profile", help="AWS profile (default: the standard credential chain)")
    parser.add_argument("--region", help="AWS region (default: the Connect instance's)")


def configuration(args: argparse.Namespace) -> IvrConfig:
    from configuration.model import load_config

    return load_config({**json.loads(CDK_JSON.read_text())["context"], **_context(args.context)})


def stack_name(args: argparse.Namespace, config: IvrConfig) -> str:
    return args.stack or f"ConnectIvr-{config.environment}"


def clients(profile: str | None, region: str) -> tuple[Any, Any]:
    """(CloudFormation, Connect) clients."""
    import boto3

    session = boto3.Session(profile_name=profile, region_name=region)
    return session.client("cloudformation"), session.client("connect")


def json_output(cloudformation: Any, stack: str, key: str, *, missing: str) -> dict[str, str]:
    """The stack output `key`, parsed; UsageError (`missing` says why it may be absent) when there is none."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        outputs = cloudformation.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    except (BotoCoreError, ClientError) as problem:
        raise UsageError(f"cannot read the stack {stack}: {problem}") from None
    found = {output["OutputKey"]: output["OutputValue"] for output in outputs}
    if key not in found:
        raise UsageError(f"the stack {stack} has no output {key}: {missing}")
    return dict(json.loads(found[key]))


def _context(pairs: list[str]) -> dict[str, Any]:
    """`-c KEY=VALUE` values; a JSON value (an object, a number) is given whole."""
    context: dict[str, Any] = {}
    for pair in pairs:
        key, value = key_value("-c", pair, "KEY=VALUE, like environment=prod")
        try:
            context[key] = json.loads(value)
        except json.JSONDecodeError:
            context[key] = value
    return context
