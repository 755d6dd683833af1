"""Validate contact flows offline: the entry points infra (at synth), the CLI and tests call.

    problems = validate_flow(text, name="contact_flows/main.json", placeholders_allowed=True)
    if any(p.severity == "error" for p in problems): ...

A *source* flow (a file of contact_flows/, `placeholders_allowed=True`) may hold `{{name}}`
placeholders and must not hold literal ARNs or ids. A *rendered* flow (`placeholders_allowed=
False`, what the deploy sends to Connect) must have every placeholder filled, and holds the ARNs
the deploy filled in.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# The rule modules register their rules in the table on import, in this order.
from flow_language import caller_experience, catalog, connect_rules  # noqa: F401
from flow_language.exports import ConnectFlow, read_flow
from flow_language.files import FLOWS_FOLDER, FlowFileError, flow_paths, folder_disagreement, is_module, is_module_path
from flow_language.model import Flow, FlowFormatError
from flow_language.placeholders import PLACEHOLDER_PATTERN, resource_of
from flow_language.registry import DOCUMENT, ERROR, RULES, WARNING, Context, Problem
from flow_language.translations import (
    LANGUAGE_MENU,
    FlowTranslations,
    TranslationFileError,
    load_translations,
    prompts_file,
    variant,
)

# Checked before any rule runs, so it is not in the rule table.
JSON_RULE = "json"
JSON_RULE_SUMMARY = ("the file is UTF-8 JSON holding one flow: the flow language, or describe-contact-flow(-module) "
                     "output or a {Name, Type, Content} wrapper around it")
# Checked across the flows checked together (one flow's rules cannot see another's type).
TRANSFER_TARGET_RULE = "transfer-target"
TRANSFER_TARGET_RULE_SUMMARY = "a TransferToFlow to one of the flows checked with it goes to a type Connect transfers to"
# Checked on a file's place: in contact_flows/, modules lie in modules/ and flows do not.
FOLDER_RULE = "flow-folder"
FOLDER_RULE_SUMMARY = "in contact_flows/, a flow module (by its content) lies in modules/ and a flow does not"


def validate_flow(
    document: str | bytes | Mapping[str, Any],
    *,
    name: str,
    placeholders_allowed: bool,
    dip_budgets_seconds: Mapping[str, float] | None = None,
    strict: bool = False,
    module: bool | None = None,
    translations: FlowTranslations | None = None,
) -> list[Problem]:
    """Every problem of one flow, document-level first, then in the order of its actions.

    `document` is the flow's JSON text (or the parsed dict), as Connect gives it (a describe
    output is unwrapped, `exports.read_flow`); `name` is what problems call the file.
    `dip_budgets_seconds` maps a dip (its Lambda ARN, or the placeholder name a source flow uses
    for it, e.g. "order_status_lambda_arn") to its time budget in seconds. `strict` reports
    warnings as errors. `module`: the document is a flow module, not a flow; None: as its content
    says (a flow when it does not say). `translations`: the deployment's languages and this flow's
    texts in them (flow_language/translations.py), for a flow of our folder; None skips the language rules.
    """
    try:
        flow = read_flow(document)
    except FlowFormatError as error:
        return [Problem(name, DOCUMENT, ERROR, str(error), JSON_RULE)]
    module = flow.kind == "module" if module is None else module
    context = Context(Flow.from_document(flow.document), placeholders_allowed, dip_budgets_seconds or {}, module,
                      translations)
    problems = [
        Problem(name, finding.action_id, ERROR if strict else rule.severity, finding.message, rule.id)
        for rule in RULES
        for finding in rule.check(context)
    ]
    return _in_document_order(problems, context.flow)


def check_files(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    placeholders_allowed: bool = True,
    dip_budgets_seconds: Mapping[str, float] | None = None,
    languages: tuple[str, ...] = (),
) -> list[Problem]:
    """Validate flow files; problems sorted by file name, each file's in document order. A file
    is checked as a flow module when its content says so, or, when it does not, when it lies in
    a folder named `modules`; in contact_flows/ a file whose content and folder disagree gets a
    `flow-folder` error (and is checked as what its content is).

    `languages` (the deployment's, the default first): with more than one, each file's prompts
    must have a text in every other language (`<its folder>/prompts/<language>.yaml`), and each
    language variant of the file is checked too (its problems named `FILE (language)`).

    Raises FlowFileError, before checking anything, when a path is missing, a directory or
    unreadable, or a translation file cannot be read.
    """
    documents: dict[Path, bytes | ConnectFlow] = {}
    for path, content in _read_all([Path(path) for path in paths]).items():
        try:
            documents[path] = read_flow(content)
        except FlowFormatError:
            documents[path] = content  # validate_flow reports it as one "json" problem
    problems = []
    languages_of = _Languages(languages, [path for path, d in documents.items() if isinstance(d, ConnectFlow)])
    for path, document in documents.items():
        if not isinstance(document, ConnectFlow):
            problems += validate_flow(document, name=str(path), placeholders_allowed=placeholders_allowed)
            continue
        misplaced = folder_disagreement(path, document)
        if misplaced:
            problems.append(Problem(str(path), DOCUMENT, ERROR, misplaced, FOLDER_RULE))
        options: dict[str, Any] = {"placeholders_allowed": placeholders_allowed, "dip_budgets_seconds": dip_budgets_seconds,
                                   "strict": strict, "module": is_module(path, document)}
        found = validate_flow(document.document, name=str(path), translations=languages_of.flow(path), **options)
        problems += found
        for language, translated in languages_of.variants(path, document.document):
            seen = {(problem.action_id, problem.message) for problem in found}
            problems += [problem for problem in validate_flow(translated, name=f"{path} ({language})", **options)
                         if (problem.action_id, problem.message) not in seen]
    problems += languages_of.unknown_flows(strict)
    if placeholders_allowed:
        problems += check_transfer_targets({path: d.document for path, d in documents.items() if isinstance(d, ConnectFlow)})
    return sorted(problems, key=lambda problem: problem.file)


def check_transfer_targets(flows: Mapping[Path, Mapping[str, Any]]) -> list[Problem]:
    """Source flows checked together: each TransferToFlow whose ContactFlowId is the placeholder of
    one of them (`{{<file stem>_flow_arn}}`) must go to a type of flow Connect transfers to."""
    types = {path.stem: document.get("Metadata", {}).get("type") for path, document in flows.items()
             if not is_module_path(path) and isinstance(document.get("Metadata"), Mapping)}
    problems = []
    for path, document in flows.items():
        actions = document.get("Actions")
        for action in actions if isinstance(actions, list) else ():
            if not isinstance(action, Mapping) or action.get("Type") != "TransferToFlow":
                continue
            parameters = action.get("Parameters")
            if not isinstance(parameters, Mapping):
                continue  # a malformed action is action-shape's to report
            target = PLACEHOLDER_PATTERN.fullmatch(str(parameters.get("ContactFlowId", "")))
            resource = resource_of(target.group(1)) if target else None
            if not resource or resource[0] != "flow":
                continue
            stem = resource[1]
            kind = types.get(stem)
            if isinstance(kind, str) and kind in catalog.FLOW_TYPES and kind not in catalog.TRANSFER_TARGET_TYPES:  # an unknown type is flow-type's
                problems.append(Problem(
                    str(path), str(action.get("Identifier", DOCUMENT)), ERROR,
                    f"TransferToFlow goes to {stem}, a flow of type {kind}; Connect transfers only to "
                    f"{connect_rules.and_list(sorted(catalog.TRANSFER_TARGET_TYPES), 'or')} flows (any other takes the "
                    "error branch)",
                    TRANSFER_TARGET_RULE))
    return problems


class _Languages:
    """The translations of the files checked together, read once per folder of flows."""

    def __init__(self, languages: tuple[str, ...], paths: list[Path]):
        self.languages = languages if len(languages) > 1 else ()
        self.paths = paths
        self.stems = {path.stem for path in paths}
        self._by_folder: dict[Path, Mapping[str, Mapping[str, Mapping[str, str]]]] = {}

    @staticmethod
    def folder(path: Path) -> Path:
        return path.parent.parent if is_module_path(path) else path.parent

    def of(self, path: Path) -> Mapping[str, Mapping[str, Mapping[str, str]]]:
        return self.in_folder(self.folder(path))

    def in_folder(self, folder: Path) -> Mapping[str, Mapping[str, Mapping[str, str]]]:
        if folder not in self._by_folder:
            try:
                self._by_folder[folder] = load_translations(folder, self.languages[1:])
            except TranslationFileError as error:
                raise FlowFileError(str(error)) from None
        return self._by_folder[folder]

    def flow(self, path: Path) -> FlowTranslations | None:
        if not self.languages:
            return None
        return FlowTranslations.of(path.stem, self.languages, self.of(path), self.folder(path))

    def variants(self, path: Path, document: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        if not self.languages or path.stem == LANGUAGE_MENU:
            return []
        translated = self.stems - {LANGUAGE_MENU}
        return [(language, variant(document, path.stem, language, self.of(path), translated, {}))
                for language in self.languages[1:]]

    def unknown_flows(self, strict: bool) -> list[Problem]:
        """A translation file's flows that are no flow file of its folder (when the whole folder is checked)."""
        problems = []
        for folder in sorted({self.folder(path) for path in self.paths} if self.languages else ()):
            if not set(flow_paths(folder)) <= set(self.paths):
                continue
            checked = {path.stem for path in self.paths if self.folder(path) == folder}
            for language, flows in self.in_folder(folder).items():
                problems += [Problem(str(prompts_file(folder, language)), DOCUMENT, ERROR if strict else WARNING,
                                     f"translates flow {stem!r}, which is not a flow file of {folder}: remove it, or "
                                     "rename it after the flow's file (CX-12)", "cx-translation-stale")
                             for stem in sorted(set(flows) - checked)]
        return problems


def default_flow_files(root: str | Path = ".") -> list[Path]:
    """contact_flows/*.json and contact_flows/modules/*.json under root, sorted."""
    directory = Path(root) / FLOWS_FOLDER
    if not directory.is_dir():
        raise FlowFileError(f"no {FLOWS_FOLDER}/ directory in {Path(root).resolve()}: run from the repository root "
                            "or name the flow files")
    return flow_paths(directory)


def _read_all(paths: list[Path]) -> dict[Path, bytes]:
    contents: dict[Path, bytes] = {}
    failures: list[str] = []
    for path in paths:
        try:
            contents[path] = path.read_bytes()
        except FileNotFoundError:
            failures.append(f"{path}: no such file")
        except IsADirectoryError:
            failures.append(f"{path}: is a directory, not a flow file")
        except OSError as error:
            failures.append(f"{path}: cannot read it ({error.strerror})")
    if failures:
        raise FlowFileError("; ".join(failures))
    return contents


_POSITION = re.compile(r"Actions\[(\d+)\]")


def _in_document_order(problems: list[Problem], flow: Flow) -> list[Problem]:
    positions = {action.identifier: action.index for action in reversed(flow.actions)}

    def position(problem: Problem) -> int:
        if problem.action_id in positions:
            return positions[problem.action_id]
        match = _POSITION.fullmatch(problem.action_id)
        return int(match.group(1)) if match else -1

    return sorted(problems, key=position)
