"""Flow files as Amazon Connect gives them, read into the flow language.

Connect hands a flow out in three shapes: the designer's "Export flow" JSON (the flow language
itself), the output of `aws connect describe-contact-flow` / `describe-contact-flow-module`
(`{"ContactFlow": {..., "Content": "<the flow as a JSON string>"}}`), and the `{Name, Type,
Content}` objects deployment tools keep. `read_flow` takes any of them and returns the flow
language document, whether it is a flow module by its content, and what the wrapper said. The
validator, the deployment, the simulator and `ivr flows import` all read flows here.

A describe output's Content carries no flow type (its `Metadata` has no `type`) and a module's
`Settings` travel beside it, so `read_flow` writes them into the document, where a console
export has them: the document is the flow as the designer would export it.

What is not a flow raises FlowFormatError with one line: bytes that are not UTF-8 JSON, the
pre-2019 format (a top-level `modules` list) Connect no longer imports, a wrapper whose Content
is not JSON, and a JSON object that is none of these.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from flow_language.catalog import FLOW_TYPES
from flow_language.model import FlowFormatError, parse_document

FlowKind = Literal["flow", "module"]

# describe-contact-flow and describe-contact-flow-module: the key the flow sits under.
DESCRIBE_KEYS: Mapping[str, FlowKind] = {"ContactFlow": "flow", "ContactFlowModule": "module"}
# The flow language's own top-level keys: an object with one of them is meant as a flow.
FLOW_KEYS = ("Version", "StartAction", "Actions")
MODULE_RETURN = "EndFlowModuleExecution"
# Connect's flow type names (CONTACT_FLOW) -> the designer's Metadata.type (contactFlow).
_METADATA_TYPE = {api: designer for designer, api in FLOW_TYPES.items()}


@dataclass(frozen=True)
class ConnectFlow:
    """One flow as read: `document` is the flow language (with what the wrapper added), `kind`
    what its content says it is (None when nothing does), `source` the shape it came in."""

    document: dict[str, Any]
    kind: FlowKind | None
    kind_evidence: str  # why `kind`, for messages: "it has top-level Settings"
    source: str  # "a flow file", "describe-contact-flow output", ...
    name: str | None  # the flow's name in Connect, when the file says it
    added: tuple[str, ...] = ()  # what was taken from the wrapper into the document, for messages
    resource_ids: tuple[str, ...] = ()  # the wrapper's Arn and Id

    @property
    def identifiers(self) -> tuple[str, ...]:
        """What names this flow in its instance: its name, ARN and id, as far as the file says."""
        return (*([self.name] if self.name else []), *self.resource_ids)


def read_flow(data: str | bytes | Mapping[str, Any]) -> ConnectFlow:
    """The flow in a file's text (or parsed JSON), unwrapped; FlowFormatError when it is not one."""
    outer = parse_document(data)
    if any(isinstance(outer.get(key), Mapping) for key in DESCRIBE_KEYS) and not _has_flow_keys(outer):
        key = next(key for key in DESCRIBE_KEYS if isinstance(outer.get(key), Mapping))
        command = "describe-contact-flow" if key == "ContactFlow" else "describe-contact-flow-module"
        return _unwrap(outer[key], f"{command} output", DESCRIBE_KEYS[key])
    if "Content" in outer and not _has_flow_keys(outer):
        return _unwrap(outer, "{Name, Type, Content} wrapper", None)
    document = _plain_flow(outer, "the file")
    kind, evidence = kind_by_content(document)
    metadata = document.get("Metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return ConnectFlow(dict(document), kind, evidence, "a flow file", name if isinstance(name, str) else None)


def kind_by_content(document: Mapping[str, Any]) -> tuple[FlowKind | None, str]:
    """("module" | "flow" | None, why), the first that holds: a module has top-level Settings (its
    input and output parameters, its returns); a flow's Metadata names its flow type; a module
    returns with EndFlowModuleExecution, or has the designer's module Metadata (a name and a
    status, no flow type). None when the content says neither."""
    metadata = document.get("Metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    if isinstance(document.get("Settings"), Mapping):
        return "module", "it has top-level Settings"
    if isinstance(metadata.get("type"), str) and metadata["type"] in FLOW_TYPES:  # the designer writes it for flows only
        return "flow", f"its Metadata.type is {metadata['type']}"
    actions = document.get("Actions")
    if isinstance(actions, list) and any(isinstance(a, Mapping) and a.get("Type") == MODULE_RETURN for a in actions):
        return "module", f"it returns with {MODULE_RETURN}"
    if "type" not in metadata and "status" in metadata and "name" in metadata:
        return "module", "its Metadata is a module's (a name and status, no flow type)"
    return None, "its content does not say"


def _has_flow_keys(document: Mapping[str, Any]) -> bool:
    return any(key in document for key in FLOW_KEYS)


def _plain_flow(document: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    if isinstance(document.get("modules"), list) and "Actions" not in document:
        raise FlowFormatError(
            f"{where} is in the legacy flow format (a top-level 'modules' list, exported before 2019), which Connect "
            "no longer imports: open the flow in an instance that has it and export it again (the designer and "
            "`aws connect describe-contact-flow` give the flow language, Version 2019-10-30)")
    if not _has_flow_keys(document):
        keys = ", ".join(sorted(map(str, document))[:6]) or "none"
        raise FlowFormatError(f"{where} is not a contact flow: a JSON object without Version, StartAction or Actions "
                              f"(its keys: {keys})")
    return document


def _unwrap(wrapper: Mapping[str, Any], source: str, wrapped_kind: FlowKind | None) -> ConnectFlow:
    content = wrapper.get("Content")
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except json.JSONDecodeError as error:
            raise FlowFormatError(f"the Content of this {source} is not valid JSON: {error.msg} at line {error.lineno} "
                                  f"column {error.colno} of the Content string") from None
    if not isinstance(content, Mapping):
        raise FlowFormatError(f"the Content of this {source} must be the flow (a JSON object or a string of one)")
    document = dict(_plain_flow(content, f"the Content of this {source}"))
    added = []
    flow_type = wrapper.get("Type", wrapper.get("ContactFlowType"))
    flow_type = flow_type if isinstance(flow_type, str) else None
    metadata = document.get("Metadata")
    if flow_type in _METADATA_TYPE and (metadata is None or isinstance(metadata, Mapping) and "type" not in metadata):
        document["Metadata"] = {**(metadata or {}), "type": _METADATA_TYPE[flow_type]}
        added.append(f"Metadata.type {_METADATA_TYPE[flow_type]} (its Type {flow_type})")
    settings = wrapper.get("Settings")
    if isinstance(settings, str) and "Settings" not in document:
        try:
            parsed = json.loads(settings)
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, Mapping):
            raise FlowFormatError(f"the Settings of this {source} must be a JSON object (a module's parameters)")
        document["Settings"] = dict(parsed)
        added.append("Settings (the module's parameters)")
    kind, evidence = kind_by_content(document)
    if wrapped_kind is not None:
        kind, evidence = wrapped_kind, f"it is {source}"
    elif flow_type in _METADATA_TYPE:
        kind, evidence = "flow", f"its Type is {flow_type}"
    name = wrapper.get("Name")
    resource_ids = tuple(value for value in (wrapper.get("Arn"), wrapper.get("Id")) if isinstance(value, str) and value)
    return ConnectFlow(document, kind, evidence, source, name if isinstance(name, str) else None, tuple(added), resource_ids)
