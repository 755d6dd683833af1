"""Our flow files, loaded for a local run: placeholders filled with local stand-ins.

A flow file in `contact_flows/` carries `{{placeholders}}` that the deployment fills with real
ARNs. For a local call each is filled with a stand-in that names what it stands for, and this
module remembers the way back: a Lambda ARN to the handler folder, a queue ARN to the queue
name, a flow ARN to the flow file, and so on.

    {{order_status_lambda_arn}}   -> arn:aws:lambda:REGION:ACCOUNT:function:ivr-local-order_status
    {{order_status_time_limit}}   -> the dip's InvocationTimeLimitSeconds from the configuration
    {{orders_queue_arn}}          -> INSTANCE_ARN/queue/orders
    {{business_hours_arn}}        -> INSTANCE_ARN/operating-hours/business
    {{after_hours_flow_arn}}      -> INSTANCE_ARN/contact-flow/after_hours
    {{order_status_module_id}}    -> INSTANCE_ARN/flow-module/order_status
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flow_language import placeholders, translations
from flow_language.exports import read_flow
from flow_language.model import Action, FlowFormatError
from flow_language.model import Flow as FlowModel

LOCAL_FUNCTION_PREFIX = "ivr-local-"
DEFAULT_INSTANCE_ARN = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555"

# Where each kind of Connect resource sits in its ARN: INSTANCE_ARN/<path>/<id>.
_ARN_PATHS = {"queue": "queue", "hours": "operating-hours", "flow": "contact-flow", "module": "flow-module"}


class FlowNotFound(LookupError):
    """No flow of that name: the message lists what there is."""


class FlowUnreadable(ValueError):
    """The file is not a flow the simulator can run (not JSON, no Actions...)."""


@dataclass(frozen=True)
class Resource:
    kind: str  # lambda | queue | hours | flow | module
    name: str  # handler folder, queue name, hours name, flow or module stem


@dataclass
class LocalResources:
    """Fills placeholders and maps the stand-ins back to what they stand for."""

    instance_arn: str = DEFAULT_INSTANCE_ARN
    time_limits: Mapping[str, int] = field(default_factory=dict)
    default_time_limit: int = 8
    # Filled as given: settings ({{long_wait_seconds}} -> "300") and what cdk.json's flows.resource_arns names.
    values: Mapping[str, str] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)

    @property
    def region(self) -> str:
        return self.instance_arn.split(":")[3]

    @property
    def account(self) -> str:
        return self.instance_arn.split(":")[4]

    def fill(self, name: str) -> str | None:
        """The local stand-in for one placeholder; None (and remembered in `unknown`) when it has none."""
        if name in self.values:
            return str(self.values[name])
        resource = placeholders.resource_of(name)
        if resource is None:
            self.unknown.add(name)
            return None
        kind, subject = resource
        if kind == "lambda":
            return f"arn:aws:lambda:{self.region}:{self.account}:function:{LOCAL_FUNCTION_PREFIX}{subject}"
        if kind == "time_limit":
            return str(self.time_limits.get(subject, self.default_time_limit))
        return f"{self.instance_arn}/{_ARN_PATHS[kind]}/{subject}"

    def identify(self, value: Any, kind: str) -> Resource | None:
        """What a (filled) id or ARN stands for; None when it is not ours."""
        if not isinstance(value, str) or not value:
            return None
        if kind == "lambda":
            match = re.search(r":function:([^:]+)", value)
            name = match.group(1) if match else value
            if name.startswith(LOCAL_FUNCTION_PREFIX):
                return Resource("lambda", name[len(LOCAL_FUNCTION_PREFIX):])
            return Resource("lambda", name)
        path = _ARN_PATHS[kind]
        match = re.search(rf"/{re.escape(path)}/([^/]+)$", value)
        if match:
            return Resource(kind, match.group(1))
        if kind == "module":  # a module referred to by a bare id or stem
            match = re.search(r"flow-module/([^/]+)$", value)
            return Resource(kind, match.group(1) if match else value)
        if "/" not in value and ":" not in value:
            return Resource(kind, value)
        return None


# --- the flow as the interpreter walks it -----------------------------------------------------


@dataclass(frozen=True)
class Flow:
    """One loaded flow: the validator's parsed model plus what the simulator needs to name it."""

    name: str  # file stem, or `modules/<stem>` for a module
    kind: str  # flow | module
    path: Path | None
    model: FlowModel = field(repr=False)

    @classmethod
    def from_document(cls, name: str, kind: str, document: Any, path: Path | None = None) -> Flow:
        if not isinstance(document, Mapping) or not isinstance(document.get("Actions"), list):
            raise FlowUnreadable(f"{path or name}: not a flow (a JSON object with an Actions list)")
        return cls(name, kind, path, FlowModel.from_document(document))

    @property
    def start_action(self) -> str | None:
        return self.model.start_action

    @property
    def actions(self) -> Mapping[str, Action]:
        return self.model.by_id

    @property
    def is_queue_flow(self) -> bool:
        """A customer queue flow: the one that runs while the caller waits in queue."""
        metadata = self.model.document.get("Metadata")
        declared = str(metadata.get("type", "")) if isinstance(metadata, Mapping) else ""
        return declared.upper() in {"CUSTOMER_QUEUE", "CUSTOMERQUEUE"} or "queue" in self.name.split("/")[-1]


def error_target(action: Action, error_type: str) -> str | None:
    """Where the action's error branch of that type leads; None when the flow does not say."""
    return next((e.next_action for e in action.errors if e.error_type == error_type), None)


def summary(action: Action, limit: int = 60) -> str:
    """A few words that tell a reader which block this is."""
    p = action.parameters
    for key in ("Text", "SSML"):
        if isinstance(p.get(key), str):
            text = " ".join(re.sub(r"<[^>]+>", "", p[key]).split())
            return text if len(text) <= limit else text[: limit - 3] + "..."
    for key in ("LambdaFunctionARN", "ComparisonValue", "QueueId", "ContactFlowId", "FlowModuleId",
                "MetricType", "HoursOfOperationId", "LoopCount"):
        if key in p:
            return f"{key}={p[key]}"
    if isinstance(p.get("Attributes"), Mapping):
        return "set " + ", ".join(sorted(p["Attributes"]))
    return ""


class FlowLibrary:
    """The flows one call may reach: `contact_flows/*.json` and `contact_flows/modules/*.json`, and
    their variants in each language the folder has prompts for (`main_es_us`: main in es-US, see
    flow_language/translations.py), as the deployment renders them.

    Files are read when first needed, with their placeholders filled by `resources`; a variant with
    `language_values(language)` (that language's settings) first.
    """

    def __init__(self, root: Path, resources: LocalResources | None = None, *, default_language: str = "en-US",
                 language_values: Callable[[str], Mapping[str, str]] | None = None):
        self.root = Path(root)
        self.resources = resources or LocalResources()
        self.default_language = default_language
        self.language_values = language_values or (lambda language: {"language": language})
        self._cache: dict[str, Flow] = {}

    # languages ------------------------------------------------------------------------------
    def languages(self) -> list[str]:
        """The default language, then each one the folder has a translation file for."""
        folder = self.root / translations.PROMPTS_FOLDER
        found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        return [self.default_language, *(language for language in found if language != self.default_language)]

    def in_language(self, name: str, language: str) -> str:
        """The name of flow `name`'s variant in `language` (itself in the default language, or when
        the folder has no such variant)."""
        stem = translations.variant_stem(name, language, self.default_language)
        return stem if stem != name and self._variant_of(stem) else name

    def _variant_of(self, name: str) -> tuple[str, str] | None:
        """(file stem, language) when `name` is a variant's stem (main_es_us) of one of our files."""
        for language in self.languages()[1:]:
            end = translations.suffix(language)
            stem = name[: -len(end)] if name.endswith(end) else ""
            if stem and stem != translations.LANGUAGE_MENU and (self.root / f"{stem}.json").is_file():
                return stem, language
        return None

    def _variant(self, name: str, stem: str, language: str) -> Flow:
        written = self.get(stem)
        texts = translations.load_translations(self.root, [language])
        source = read_flow(written.path.read_bytes()).document if written.path else written.model.document
        # Translations and references name a module by its file stem, as the deployment does.
        translated = {name.removeprefix("modules/") for name in self.all_names()} - {translations.LANGUAGE_MENU}
        document = translations.variant(source, stem.removeprefix("modules/"), language, texts, translated,
                                        self.language_values(language))
        return Flow.from_document(name, written.kind, placeholders.fill(document, self.resources.fill), written.path)

    # names ---------------------------------------------------------------------------------
    def flow_names(self) -> list[str]:
        return sorted(p.stem for p in self.root.glob("*.json")) if self.root.is_dir() else []

    def module_names(self) -> list[str]:
        folder = self.root / "modules"
        return sorted(f"modules/{p.stem}" for p in folder.glob("*.json")) if folder.is_dir() else []

    def all_names(self) -> list[str]:
        return self.flow_names() + self.module_names()

    def queue_flow(self) -> Flow | None:
        """The customer queue flow, when one of our flows is one."""
        for name in self.flow_names():
            flow = self.get(name)
            if flow.is_queue_flow:
                return flow
        return None

    # loading --------------------------------------------------------------------------------
    def get(self, name: str) -> Flow:
        """A flow by stem (`main`), module (`modules/order_status` or its stem) or file path."""
        if name in self._cache:
            return self._cache[name]
        variant_of = self._variant_of(name)
        if variant_of is not None:
            try:
                flow = self._variant(name, *variant_of)
            except translations.TranslationFileError as error:
                raise FlowUnreadable(str(error)) from None
            self._cache[name] = flow
            return flow
        path, kind, key = self._locate(name)
        try:
            read = read_flow(path.read_bytes())
        except OSError as error:
            raise FlowUnreadable(f"{path}: cannot be read ({error})") from None
        except FlowFormatError as error:
            raise FlowUnreadable(f"{path}: {error}") from None
        kind = read.kind or kind  # a module by its content, wherever it lies
        flow = Flow.from_document(key, kind, placeholders.fill(read.document, self.resources.fill), path)
        self._cache[name] = self._cache[key] = flow
        return flow

    def module(self, stem: str) -> Flow:
        stem = stem[len("modules/"):] if stem.startswith("modules/") else stem
        return self.get(f"modules/{stem}")

    def _locate(self, name: str) -> tuple[Path, str, str]:
        candidate = Path(name)
        # A path: *.json, or any file named with its folder (the console exports without an extension).
        if (candidate.suffix == ".json" or len(candidate.parts) > 1) and candidate.is_file():
            is_module = candidate.resolve().parent == (self.root / "modules").resolve()
            return candidate, "module" if is_module else "flow", (f"modules/{candidate.stem}" if is_module else candidate.stem)
        if name.startswith("modules/"):
            path = self.root / f"{name}.json"
            if path.is_file():
                return path, "module", name
        else:
            path = self.root / f"{name}.json"
            if path.is_file():
                return path, "flow", name
            path = self.root / "modules" / f"{name}.json"
            if path.is_file():
                return path, "module", f"modules/{name}"
        known = ", ".join(self.all_names()) or "none"
        raise FlowNotFound(f"no flow named '{name}' in {self.root} (flows: {known})")

    def __iter__(self) -> Iterator[Flow]:
        for name in self.all_names():
            yield self.get(name)
