"""`ivr flows drift`: does what runs in Connect still match what the repository holds?

For every flow file it renders the content synth would deploy for the environment (the flow file,
its placeholders filled: settings and time limits from cdk.json, resources from the stack output
FLOW_RESOURCES_OUTPUT, designer positions added), reads the deployed flow or module
(DescribeContactFlow / DescribeContactFlowModule, found by that same output) and prints a unified
diff of the two, both as JSON with sorted keys.

What is compared: everything but the top-level `Metadata` (designer positions, names, the
annotations a console edit moves around): a difference there alone is reported as one line and is
not drift. Exit 0 when every flow is in step, 1 on drift (a flow changed, or missing in Connect),
2 on a usage error or when the stack cannot be read.
"""
from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from configuration.model import IvrConfig
from configuration.runtime_values import FLOW_RESOURCES_OUTPUT, flow_settings, language_settings, passed_by_blocks
from flow_language import placeholders
from flow_language.files import FlowFile, FlowFileError
from flow_language.layout import with_positions
from flow_language.placeholders import placeholder
from flow_language.translations import TranslationFileError, deployment_flow_files
from ivr import deployed_stack
from ivr.cli import UsageError

REPO_ROOT = Path(__file__).resolve().parent.parent
BRING_BACK = "ivr flows import"  # the command that brings a console change into the repository


@dataclass(frozen=True)
class Comparison:
    name: str
    diff: list[str]  # unified diff lines; empty when the content is in step
    layout_differs: bool = False
    missing: bool = False

    @property
    def drifted(self) -> bool:
        return self.missing or bool(self.diff)


def run_drift(args: argparse.Namespace) -> int:
    config = deployed_stack.configuration(args)
    files = _selected(_flow_files(config), args.flows)
    cloudformation, connect = deployed_stack.clients(args.profile, args.region or config.connect_instance.region)
    stack = deployed_stack.stack_name(args, config)
    resources = deployed_stack.json_output(cloudformation, stack, FLOW_RESOURCES_OUTPUT, missing=(
        "it was deployed before `ivr flows drift` existed; deploy once (`make deploy`), then compare"))
    values = rendering_values(config, resources)
    comparisons = [compare(flow_file, render(flow_file.document, values), deployed_content(connect, config, flow_file, resources))
                   for flow_file in files]
    for comparison in comparisons:
        _print(comparison)
    drifted = [c.name for c in comparisons if c.drifted]
    if drifted:
        print(f"\n{len(drifted)} of {len(comparisons)} drifted from the repository: {', '.join(drifted)}.\n"
              f"To keep the console change, bring it into the repository with `{BRING_BACK} {' '.join(drifted)}`; "
              "to undo it, deploy the repository again (`make deploy`).")
        return 1
    print(f"\nall {len(comparisons)} flows and modules of {stack} are in step with the repository")
    return 0


def render(document: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """The content synth deploys (infra.contact_flows.render, which tests hold this to)."""
    return with_positions(placeholders.fill(document, values))


def rendering_values(config: IvrConfig, resources: Mapping[str, str]) -> dict[str, str]:
    """Every placeholder's value: settings and time limits from the configuration, resources as deployed."""
    limits = {placeholder("time_limit", name): str(dip.invocation_time_limit_seconds) for name, dip in config.dips.items()}
    return {**flow_settings(config), **limits, **resources}


def deployed_content(connect: Any, config: IvrConfig, flow_file: FlowFile, resources: Mapping[str, str]) -> dict[str, Any] | None:
    """The deployed flow's or module's content, None when Connect does not have it."""
    from botocore.exceptions import BotoCoreError, ClientError

    kind = "module" if flow_file.is_module else "flow"
    reference = resources.get(placeholder("module", flow_file.stem) if flow_file.is_module else placeholder("flow", flow_file.stem))
    if reference is None:
        return None
    instance = config.connect_instance.instance_id
    try:
        if flow_file.is_module:
            content = connect.describe_contact_flow_module(InstanceId=instance, ContactFlowModuleId=reference)["ContactFlowModule"]["Content"]
        else:
            content = connect.describe_contact_flow(InstanceId=instance, ContactFlowId=reference.rsplit("/", 1)[-1])["ContactFlow"]["Content"]
    except ClientError as problem:
        if problem.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return None
        raise UsageError(f"cannot read the {kind} {flow_file.stem} from Connect: {problem}") from None
    except BotoCoreError as problem:
        raise UsageError(f"cannot read the {kind} {flow_file.stem} from Connect: {problem}") from None
    return dict(json.loads(content))


def compare(flow_file: FlowFile, expected: Mapping[str, Any], deployed: Mapping[str, Any] | None) -> Comparison:
    name = f"{'modules/' if flow_file.is_module else ''}{flow_file.stem}"
    if deployed is None:
        return Comparison(name, [], missing=True)
    diff = list(difflib.unified_diff(
        _normalized(expected).splitlines(), _normalized(deployed).splitlines(),
        fromfile=f"repository: {name}", tofile=f"deployed: {name}", lineterm="",
    ))
    return Comparison(name, diff, layout_differs=expected.get("Metadata") != deployed.get("Metadata"))


def _normalized(content: Mapping[str, Any]) -> str:
    return json.dumps({key: value for key, value in content.items() if key != "Metadata"}, indent=2, sort_keys=True, ensure_ascii=False)


def _print(comparison: Comparison) -> None:
    if comparison.missing:
        print(f"{comparison.name}: DRIFTED: not in Connect (deleted, or never deployed)")
        return
    if comparison.diff:
        print(f"{comparison.name}: DRIFTED")
        print("\n".join(comparison.diff))
        return
    layout = " (its designer layout or metadata differs: not compared)" if comparison.layout_differs else ""
    print(f"{comparison.name}: in step{layout}")


def _flow_files(config: IvrConfig) -> list[FlowFile]:
    directory = Path(config.flows.directory)
    try:
        return deployment_flow_files(directory if directory.is_absolute() else REPO_ROOT / directory, config.languages,
                                     lambda language: language_settings(config, language), passed_by_blocks(config))
    except (FlowFileError, TranslationFileError) as problem:
        raise UsageError(str(problem)) from None


def _selected(files: list[FlowFile], names: list[str]) -> list[FlowFile]:
    known = {flow_file.stem: flow_file for flow_file in files}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise UsageError(f"no flow file named {', '.join(unknown)}; expected one of {', '.join(sorted(known))}")
    return [known[name] for name in names] if names else files
