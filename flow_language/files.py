"""Where flow files live, which are modules, and the order Connect needs them in.

A folder of flows holds `*.json` flows and `modules/*.json` flow modules. The deployment, the
validator's command line and the simulator all find flows here, so they agree on what a module is.
A file's content says whether it is a module (`exports.kind_by_content`) wherever it lies; the
folder decides only when the content does not say. In our own folder of flows the two must agree:
a module outside `modules/`, or a flow inside it, would deploy as the wrong kind of resource.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flow_language import placeholders
from flow_language.exports import ConnectFlow, read_flow
from flow_language.model import FlowFormatError
from flow_language.placeholders import ResourceKind

FLOWS_FOLDER = "contact_flows"
MODULES_FOLDER = "modules"


class FlowFileError(Exception):
    """A path that cannot be used at all (missing, a directory, not JSON...): one line for the user."""


@dataclass(frozen=True)
class FlowFile:
    stem: str
    path: Path
    document: dict[str, Any]
    is_module: bool
    # The language of a flow's variant (flow_language/translations.py), None for the file as written.
    language: str | None = None

    @property
    def placeholders(self) -> set[str]:
        return placeholders.names_in(self.document)

    def references(self, kind: ResourceKind) -> set[str]:
        """Names of the resources of one kind it refers to, e.g. ("flow") the flows it transfers to."""
        return placeholders.references(self.document, kind)

    @property
    def display_name(self) -> str:
        metadata = self.document.get("Metadata")
        return str((metadata.get("name") if isinstance(metadata, dict) else None) or self.stem)


def is_module_path(path: Path) -> bool:
    return path.parent.name == MODULES_FOLDER


def is_module(path: Path, flow: ConnectFlow) -> bool:
    """A module by its content; by its folder (`modules/`) when the content does not say."""
    return flow.kind == "module" if flow.kind else is_module_path(path)


def folder_disagreement(path: Path, flow: ConnectFlow, flows_folder: Path | None = None) -> str | None:
    """Why a file of our folder of flows lies in the wrong folder for what its content is, or None.

    `flows_folder` is our folder (the deployment's); without it, a folder named contact_flows."""
    parent = path.parent
    in_modules = parent.name == MODULES_FOLDER and _is_flows_folder(parent.parent, flows_folder)
    if not flow.kind or not (in_modules or _is_flows_folder(parent, flows_folder)):
        return None
    if flow.kind == "module" and not in_modules:
        return (f"{path} is a flow module ({flow.kind_evidence}) but lies among the flows: move it to "
                f"{parent / MODULES_FOLDER}/, where modules are deployed as AWS::Connect::ContactFlowModule")
    if flow.kind == "flow" and in_modules:
        return (f"{path} is a flow, not a module ({flow.kind_evidence}), but lies in {parent}/: move it to "
                f"{parent.parent}/, where flows are deployed as AWS::Connect::ContactFlow")
    return None


def _is_flows_folder(folder: Path, flows_folder: Path | None) -> bool:
    return folder.resolve() == flows_folder.resolve() if flows_folder else folder.name == FLOWS_FOLDER


def flow_paths(directory: Path) -> list[Path]:
    """<directory>/*.json, then <directory>/modules/*.json, each sorted."""
    return [*sorted(directory.glob("*.json")), *sorted((directory / MODULES_FOLDER).glob("*.json"))]


def load_flow_files(directory: Path) -> list[FlowFile]:
    """Every flow file of a folder, read as Connect gives them (`exports.read_flow`); FlowFileError
    for one that is not a flow, or a module among the flows (or a flow among the modules)."""
    files = []
    for path in flow_paths(directory):
        try:
            flow = read_flow(path.read_bytes())
        except FlowFormatError as error:
            raise FlowFileError(f"{path}: not a JSON flow file ({error})") from None
        misplaced = folder_disagreement(path, flow, directory)
        if misplaced:
            raise FlowFileError(misplaced)
        files.append(FlowFile(path.stem, path, flow.document, is_module(path, flow)))
    return files


def deployment_order(files: list[FlowFile]) -> list[FlowFile]:
    """Modules first (a module cannot reference a flow), then flows, each after the flows it
    transfers to: Connect needs the target's ARN first. FlowFileError for a cycle of transfers."""
    by_stem = {f.stem: f for f in files if not f.is_module}
    ordered: list[FlowFile] = [f for f in files if f.is_module]
    state: dict[str, str] = {}

    def visit(flow: FlowFile, chain: tuple[str, ...]) -> None:
        if state.get(flow.stem) == "done":
            return
        if state.get(flow.stem) == "visiting":
            raise FlowFileError(f"contact flows transfer to each other in a cycle ({' -> '.join([*chain, flow.stem])}): "
                                "CloudFormation cannot create them; break the cycle")
        state[flow.stem] = "visiting"
        for target in sorted(flow.references("flow")):
            if target in by_stem:
                visit(by_stem[target], (*chain, flow.stem))
        state[flow.stem] = "done"
        ordered.append(flow)

    for flow in by_stem.values():
        visit(flow, ())
    return ordered
