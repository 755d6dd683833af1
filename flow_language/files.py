"""Where flow files live and the order Connect needs them in.

A folder of flows holds `*.json` flows and `modules/*.json` flow modules. The deployment, the
validator's command line and the simulator all find flows here, so they agree on what a module is.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flow_language import placeholders
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


def flow_paths(directory: Path) -> list[Path]:
    """<directory>/*.json, then <directory>/modules/*.json, each sorted."""
    return [*sorted(directory.glob("*.json")), *sorted((directory / MODULES_FOLDER).glob("*.json"))]


def load_flow_files(directory: Path) -> list[FlowFile]:
    """Every flow file of a folder, parsed; FlowFileError for one that is not a JSON object."""
    files = []
    for path in flow_paths(directory):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise FlowFileError(f"{path}: not a JSON flow file ({error})") from None
        if not isinstance(document, dict):
            raise FlowFileError(f"{path}: a flow file holds one JSON object")
        files.append(FlowFile(path.stem, path, document, is_module_path(path)))
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
