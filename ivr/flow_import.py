"""`ivr flows import FILE...`: bring a flow built in the Connect console into contact_flows/.

The file is the designer's "Export flow" JSON or `aws connect describe-contact-flow(-module)`
output (`flow_language.exports.read_flow` reads either). Every instance-specific ARN, and every
bare resource id in a `...Id` parameter, becomes a `{{placeholder}}` of the project's syntax:

- a resource the app already knows keeps the name the app fills: a queue or hours given in
  `flows.queue_arns` / `flows.hours_arns` (matched by ARN) or created by the app (matched by its
  Connect name `ivr-<environment>-<name>`, or its own name), a function of `lambdas/`, a flow or module of
  the target folder (by its Connect name `ivr-<environment>-<stem>`, its stem or its designer name);
  a Lambda ARN is ours when its function name is the folder's, `ivr-<environment>-<folder>`, or
  holds `<Folder>Function` as CloudFormation names our functions (`...OrderStatusFunction5A6-...`);
- any other gets a name from its display name in the export (ActionMetadata holds the names the
  designer shows) or from its ARN, with the suffix of its kind (`billing_queue_arn`,
  `vanity_lambda_arn`, `welcome_prompt_arn`), and is listed as the cdk.json key to add, with the
  original value.

Phone numbers, texts, attribute values and designer positions stay as they are: they are not
instance-specific. Before writing, filling the placeholders back with the original values must
give the export's flow (`exports.read_flow`'s document) again, as JSON; otherwise nothing is
written. The imported file is then checked as a source file: its problems are printed, and it is
imported all the same (a console flow often breaks a house rule; the user fixes it in the repo).

A file that is not a flow, the legacy format, an unreadable file or a target that exists
(without --force): one line, nothing written, exit 2.
"""
from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configuration.model import IvrConfig, load_config
from flow_language import ERROR, placeholders, read_flow, validate_flow
from flow_language.exports import ConnectFlow
from flow_language.files import MODULES_FOLDER, flow_paths
from flow_language.model import FlowFormatError
from flow_language.placeholders import SUFFIXES, ResourceKind, placeholder
from ivr.cli import UsageError

REPO_ROOT = Path(__file__).resolve().parent.parent

_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[A-Za-z0-9_./:$@+=-]+")
_RESOURCE_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Where a Connect resource sits in its ARN (instance/ID/<path>/ID) -> the kind of placeholder it gets.
_CONNECT_KINDS: Mapping[str, ResourceKind] = {
    "queue": "queue", "operating-hours": "hours", "contact-flow": "flow", "flow-module": "module",
}
# A bare id in a parameter of this name: what it is.
_ID_PARAMETERS: Mapping[str, ResourceKind] = {
    "QueueId": "queue", "HoursOfOperationId": "hours", "ContactFlowId": "flow", "FlowModuleId": "module",
}
# The kinds the app fills itself (a `_time_limit` is no resource of an export).
_RESOURCE_KINDS: tuple[ResourceKind, ...] = ("queue", "hours", "flow", "module", "lambda")
# Display names in the designer's metadata sit beside the value under one of these keys.
_DISPLAY_KEYS = ("displayName", "text", "name")
_MAX_SUBJECT = 40
_ERRORS_SHOWN = 10  # `ivr flows check` lists them all


@dataclass(frozen=True)
class Replacement:
    """One placeholder made: `value` the original ARN or id it stands for."""

    name: str
    value: str
    what: str  # "queue Billing", "Lambda function vanity-converter"
    known: bool  # the app fills it already
    config_key: str | None  # the cdk.json key that fills it, when the user must add it


@dataclass
class KnownResources:
    """What the app already names, by kind: subject -> the names and ARNs that identify it."""

    environment: str
    by_kind: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    lambda_folders: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, config: IvrConfig, flows_dir: Path, lambdas_dir: Path) -> KnownResources:
        known = cls(config.environment)
        settings = config.flows
        for kind, given in (("queue", settings.queue_arns), ("hours", settings.hours_arns)):
            for subject, arn in given.items():
                known.add(kind, subject, arn)
        known.add("hours", settings.queue_hours)
        for path in flow_paths(flows_dir) if flows_dir.is_dir() else []:
            try:
                flow = read_flow(path.read_bytes())
            except (OSError, FlowFormatError):
                continue  # `ivr flows check` reports it; it names nothing here
            kind = "module" if path.parent.name == MODULES_FOLDER else "flow"
            known.add(kind, path.stem, *flow.identifiers)
            for referred in _RESOURCE_KINDS:
                for subject in placeholders.references(flow.document, referred):
                    known.add(referred, subject)
        known.lambda_folders = {path.parent.name for path in lambdas_dir.glob("*/handler.py")}
        return known

    def add(self, kind: str, subject: str, *identifiers: str) -> None:
        names = self.by_kind.setdefault(kind, {}).setdefault(subject, set())
        names.update({subject, f"ivr-{self.environment}-{subject}", *identifiers})

    def placeholder_names(self) -> set[str]:
        """The placeholders the app fills for what it knows: a new name must not be one of them."""
        names = {placeholder("lambda", folder) for folder in self.lambda_folders}
        for kind, subjects in self.by_kind.items():
            resource = _resource_kind(kind)
            names.update(placeholder(resource, subject) for subject in subjects if resource)
        return names

    def subject(self, kind: str, value: str, display: str | None) -> str | None:
        """The app's name for a resource of that kind, or None when the app does not know it."""
        if kind == "lambda":  # CloudFormation names ours <stack>-...<Folder>Function<hash>-<suffix>
            function = _lambda_function(value) or value
            return next((folder for folder in sorted(self.lambda_folders, key=len, reverse=True)
                         if function in (folder, f"ivr-{self.environment}-{folder}")
                         or _words(folder) + "function" in _words(function)), None)
        tail = value.rsplit("/", 1)[-1]
        for subject, names in self.by_kind.get(kind, {}).items():
            if value in names or tail in names or (display is not None and display in names):
                return subject
        return None


@dataclass(frozen=True)
class ImportedFlow:
    source: Path
    target: Path
    flow: ConnectFlow
    document: dict[str, Any]  # with placeholders
    replacements: tuple[Replacement, ...]


def import_flow(source: Path, flow: ConnectFlow, target: Path, known: KnownResources) -> ImportedFlow:
    """The flow with its instance-specific values replaced; UsageError when the round trip fails."""
    display = _display_names(flow.document)
    found: dict[str, Replacement] = {}
    taken = known.placeholder_names()  # an unknown "Orders" queue must not become the app's orders queue
    for value, kind in _instance_values(flow.document):
        if value in found:
            continue
        resource = _resource_kind(kind)
        subject = known.subject(resource, value, display.get(value)) if resource else None
        if resource and subject:
            replacement = Replacement(placeholder(resource, subject), value, f"{_kind_words(kind)} {subject}", True, None)
        else:
            replacement = _new(kind, value, display.get(value), taken)
        taken.add(replacement.name)
        found[value] = replacement
    document = _replace(flow.document, found)
    restored = placeholders.fill(document, {r.name: r.value for r in found.values()})
    if _as_json(restored) != _as_json(flow.document):
        raise UsageError(f"{source}: the round trip failed (filling the placeholders back does not give the export's "
                         "flow again), so nothing was written; the flow may already hold {{...}} text of its own")
    return ImportedFlow(source, target, flow, document, tuple(found.values()))


def _instance_values(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(value, kind) of every instance-specific ARN and id, in document order; kind is a
    placeholder kind or a word for the others ("prompt", "lex_bot_alias", ...)."""
    actions = document.get("Actions")
    for action in actions if isinstance(actions, list) else []:
        parameters = action.get("Parameters") if isinstance(action, Mapping) else None
        for key, text in _strings_with_keys(parameters):
            if key in _ID_PARAMETERS and _RESOURCE_ID.fullmatch(text):
                yield text, _ID_PARAMETERS[key]
            elif key.endswith("Id") and _RESOURCE_ID.fullmatch(text):
                yield text, _snake(key[:-2])
    for _, text in _strings_with_keys(document):
        for match in _ARN.finditer(text):
            arn = match.group(0).rstrip(".:")
            yield arn, _arn_kind(arn)


def _arn_kind(arn: str) -> str:
    service, resource = arn.split(":")[2], arn.split(":", 5)[5]
    parts = re.split(r"[/:]", resource)
    if service == "connect":
        if len(parts) >= 4 and parts[0] == "instance":
            return _CONNECT_KINDS.get(parts[2], _snake(parts[2]))
        return "instance" if parts[0] == "instance" else _snake(parts[0])
    if service == "lambda":
        return "lambda"
    if service == "lex":
        return "lex_" + _snake(parts[0])
    return _snake(f"{service}_{parts[0]}")


def _resource_kind(kind: str) -> ResourceKind | None:
    return kind if kind in _RESOURCE_KINDS else None


def _new(kind: str, value: str, display: str | None, taken: set[str]) -> Replacement:
    """A placeholder for a resource the app does not know: named after its display name (or its
    ARN), with its kind's suffix, numbered when another resource took that name."""
    resource = _resource_kind(kind)
    subject = _slug(display or _arn_subject(kind, value), drop=kind)

    def name_of(subject: str) -> str:
        if resource:
            return placeholder(resource, subject)
        return f"{subject}_{kind}_{'arn' if value.startswith('arn:') else 'id'}"

    name, number = name_of(subject), 2
    while name in taken:
        name, number = name_of(f"{subject}_{number}"), number + 1
    # A queue or hours is created by the app unless the configuration gives it; the rest are given as they are.
    given_by = {"queue": "flows.queue_arns", "hours": "flows.hours_arns"}.get(kind)
    key = f"{given_by}.{name.removesuffix(SUFFIXES[resource])}" if given_by and resource else f"flows.resource_arns.{name}"
    what = f"{_kind_words(kind)} {display}" if display else _kind_words(kind)
    return Replacement(name, value, what, False, key)


def _arn_subject(kind: str, value: str) -> str:
    if kind == "lambda":
        return _lambda_function(value) or "function"
    if kind == "instance":
        return "connect"
    tail = re.split(r"[/:]", value)[-1]
    return f"id_{tail[:8]}" if _RESOURCE_ID.fullmatch(tail) else tail or kind


def _lambda_function(arn: str) -> str | None:
    match = re.search(r":function:([^:]+)", arn)
    return match.group(1) if match else None


def _kind_words(kind: str) -> str:
    return {"lambda": "Lambda function", "hours": "hours of operation", "module": "flow module"}.get(kind, kind.replace("_", " "))


def _replace(document: Any, found: Mapping[str, Replacement]) -> Any:
    arns = sorted((value for value in found if value.startswith("arn:")), key=len, reverse=True)

    def text(value: str) -> str:
        if value in found:
            return "{{" + found[value].name + "}}"
        for arn in arns:
            if arn in value:
                value = value.replace(arn, "{{" + found[arn].name + "}}")
        return value

    return placeholders.map_strings(document, text)


def _display_names(document: Mapping[str, Any]) -> dict[str, str]:
    """Value -> the name the designer shows for it, from Metadata.ActionMetadata: an object holding the
    value beside a text/name (`"queue": {"id": ARN, "text": "Billing"}`), or `parameters.<P>.displayName`
    beside the action's Parameters.<P>."""
    names: dict[str, str] = {}
    metadata = document.get("Metadata")
    action_metadata = metadata.get("ActionMetadata") if isinstance(metadata, Mapping) else None
    if not isinstance(action_metadata, Mapping):
        return names
    actions = document.get("Actions")
    parameters_of = {a.get("Identifier"): a.get("Parameters") for a in actions if isinstance(a, Mapping)} \
        if isinstance(actions, list) else {}
    for identifier, entry in action_metadata.items():
        for node in _objects(entry):
            label = next((node[k] for k in _DISPLAY_KEYS if isinstance(node.get(k), str) and node[k].strip()), None)
            if label:
                for key, value in node.items():
                    if key not in _DISPLAY_KEYS and isinstance(value, str) and (_ARN.fullmatch(value) or _RESOURCE_ID.fullmatch(value)):
                        names.setdefault(value, label)
        if isinstance(entry, Mapping):
            _beside(entry.get("parameters"), parameters_of.get(identifier), names)
    return names


def _beside(meta: Any, parameters: Any, names: dict[str, str]) -> None:
    if isinstance(meta, Mapping) and isinstance(parameters, Mapping):
        for key, value in meta.items():
            if key in parameters:
                _beside(value, parameters[key], names)
    elif isinstance(meta, list) and isinstance(parameters, list):
        for item, value in zip(meta, parameters, strict=False):
            _beside(item, value, names)
    if isinstance(meta, Mapping) and isinstance(parameters, str):
        label = meta.get("displayName")
        if isinstance(label, str) and label.strip():
            names.setdefault(parameters, label)


def _objects(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _strings_with_keys(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(the key it sits under, string) for every string inside a value."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, Mapping):
        for name, item in value.items():
            yield from _strings_with_keys(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _strings_with_keys(item, key)


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()).strip("_")


def _slug(text: str, *, drop: str = "") -> str:
    """A placeholder or file name from a display name, whole words up to 40 characters, without a
    last word that repeats the kind: ("Billing Queue (EN)") -> "billing_queue_en", ("BasicQueue",
    drop="queue") -> "basic"."""
    words = _snake(text.removesuffix(".wav")).split("_")
    if len(words) > 1 and words[-1] in (drop, "function" if drop == "lambda" else drop):
        words.pop()
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > _MAX_SUBJECT:
            break
        slug = f"{slug}_{word}" if slug else word[:_MAX_SUBJECT]
    slug = slug or "imported"
    return slug if slug[0].isalpha() else f"x_{slug}"


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


# --- the command ----------------------------------------------------------------------------------

def run_import(args: argparse.Namespace) -> int:
    if args.name and len(args.files) > 1:
        raise UsageError("--name names one imported flow: give one FILE with it")
    flows_dir: Path = args.flows_dir
    config = load_config(json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"])
    known = KnownResources.of(config, flows_dir, REPO_ROOT / "lambdas")
    planned = [_plan(Path(source), args.name, flows_dir, force=args.force) for source in args.files]
    targets = [target for _, _, target in planned]
    twice = next((target for target in targets if targets.count(target) > 1), None)
    if twice:
        raise UsageError(f"two of the files would be imported as {twice}: import them one at a time with --name")
    for _, flow, target in planned:  # flows imported together refer to each other by their new names
        known.add("module" if flow.kind == "module" else "flow", target.stem, *flow.identifiers)
    imports = [import_flow(source, flow, target, known) for source, flow, target in planned]
    for imported in imports:
        if not args.dry_run:
            imported.target.parent.mkdir(parents=True, exist_ok=True)
            imported.target.write_text(json.dumps(imported.document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _report(imported, dry_run=args.dry_run)
    _report_keys([r for imported in imports for r in imported.replacements])
    return 0


def _plan(source: Path, name: str | None, flows_dir: Path, *, force: bool) -> tuple[Path, ConnectFlow, Path]:
    """(source, the flow read, where it goes); UsageError when it cannot be imported there."""
    try:
        flow = read_flow(source.read_bytes())
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{source}: is a directory, not a flow file") from None
    except OSError as error:
        raise UsageError(f"{source}: cannot read it ({error.strerror})") from None
    except FlowFormatError as error:
        raise UsageError(f"{source}: {error}; nothing was written") from None
    stem = _slug(name or flow.name or source.stem)
    target = (flows_dir / MODULES_FOLDER if flow.kind == "module" else flows_dir) / f"{stem}.json"
    if target.exists() and not force:
        raise UsageError(f"{target} exists: give another --name, or --force to overwrite it; nothing was written")
    return source, flow, target


def _report(imported: ImportedFlow, *, dry_run: bool) -> None:
    flow = imported.flow
    kind = "flow module" if flow.kind == "module" else "flow"
    verb = "would write" if dry_run else "wrote"
    print(f"{imported.source} ({flow.source}): {verb} {imported.target}, a {kind}")
    for added in flow.added:
        print(f"  added from the wrapper: {added}")
    width = max((len(r.name) for r in imported.replacements), default=0) + 4
    for r in imported.replacements:
        origin = "known to the app" if r.known else r.value
        print(f"  {{{{{r.name}}}}}".ljust(width + 4) + f"{r.what}: {origin}")
    if not imported.replacements:
        print("  no instance-specific ARN or id in it")
    print("  round trip: filling the placeholders with the original values gives the export's flow back")
    problems = validate_flow(imported.document, name=str(imported.target), placeholders_allowed=True,
                             module=flow.kind == "module")
    errors = [problem for problem in problems if problem.severity == ERROR]
    for problem in errors[:_ERRORS_SHOWN]:
        print(f"  {problem}")
    if len(errors) > _ERRORS_SHOWN:
        print(f"  ... and {len(errors) - _ERRORS_SHOWN} more errors")
    warnings = len(problems) - len(errors)
    print(f"  check: {len(errors)} error{'s' if len(errors) != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
          f"(`ivr flows check {imported.target}` lists them)" + ("; imported all the same: fix them here" if errors else ""))


def _report_keys(replacements: list[Replacement]) -> None:
    keys: dict[str, dict[str, str]] = {}
    for r in replacements:
        if r.config_key:
            section, entry = r.config_key.removeprefix("flows.").split(".", 1)
            keys.setdefault(section, {})[entry] = r.value
    if not keys:
        return
    print(f'\nadd to cdk.json, context "flows" (queues and hours left out are created by the app; '
          f"the other values are filled as given):\n{json.dumps(keys, indent=2)}")

