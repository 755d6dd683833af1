"""Prompts in several languages: the translation files and the language variants of a flow.

The flow files are written in the deployment's default language (the first of cdk.json
`languages`). Each other language has one file, `<flows folder>/prompts/<language>.yaml`, with
the texts of the prompts by flow file stem and action Identifier:

    main:
      greeting: Gracias por llamar.
      greeting-by-name: Hola $.Attributes.first_name, gracias por llamar.

A *prompt* is the Text or SSML of a MessageParticipant or GetParticipantInput that says words;
one made only of references (`$.External.message`: the closure check answers in the contact's
language already) has nothing to translate. A translation keeps the default text's `{{placeholders}}`
and `$.` references (the rule in caller_experience.py says which differ).

A flow's *variant* in a language (`variant`) is the flow with its prompts in that language (the
default text where a prompt has none), its transfers, event hooks and modules pointing at the
same language's variants, and the language's settings (`{{language}}`, `{{voice}}`, ...) filled.
Its stem is the flow's with the language appended: `main` in es-US is `main_es_us`. The
deployment deploys every variant as a flow of its own, the validator checks it as rendered and
the simulator runs it; nothing else about a flow differs between languages.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flow_language import placeholders
from flow_language.files import FlowFile, FlowFileError, deployment_order, load_flow_files
from flow_language.pruning import PruningError, without_blocks

PROMPTS_FOLDER = "prompts"
PROMPT_TYPES = ("MessageParticipant", "GetParticipantInput")
PROMPT_PARAMETERS = ("Text", "SSML")
# The flow that asks the caller for a language: written in every language it offers, so never
# translated, and deployed (the phone number's flow) only when several languages are configured.
LANGUAGE_MENU = "language_menu"

# A contact reference spoken inside a prompt: $.Attributes.first_name, $.External.message.
REFERENCE_PATTERN = re.compile(r"\$\.[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*")
_SSML_TAG = re.compile(r"<[^>]*>")

# {language: {flow stem: {action Identifier: text}}}
Translations = Mapping[str, Mapping[str, Mapping[str, str]]]


class TranslationFileError(Exception):
    """A translation file that cannot be read as one: one line for the user."""


@dataclass(frozen=True)
class Prompt:
    """One prompt of a flow: the action, the parameter holding its text (Text or SSML), the text."""

    action_id: str
    parameter: str
    text: str


def prompts(document: Mapping[str, Any]) -> Iterator[Prompt]:
    """The prompts of a flow document that say words, in document order."""
    actions = document.get("Actions")
    for action in actions if isinstance(actions, list) else ():
        if not isinstance(action, Mapping) or action.get("Type") not in PROMPT_TYPES:
            continue
        parameters = action.get("Parameters")
        if not isinstance(parameters, Mapping):
            continue
        for name in PROMPT_PARAMETERS:
            text = parameters.get(name)
            if isinstance(text, str) and says_words(text):
                yield Prompt(str(action.get("Identifier", "")), name, text)
                break


def says_words(text: str) -> bool:
    """Whether a prompt's text holds words of its own, beyond SSML tags, references and placeholders."""
    bare = placeholders.PLACEHOLDER_PATTERN.sub(" ", REFERENCE_PATTERN.sub(" ", _SSML_TAG.sub(" ", text)))
    return any(character.isalpha() for character in bare)


def references(text: str) -> list[str]:
    """The placeholders and contact references of a text, sorted: what a translation must keep."""
    return sorted([*(f"{{{{{name}}}}}" for name in placeholders.placeholders_in(text)), *REFERENCE_PATTERN.findall(text)])


def suffix(language: str) -> str:
    """What a variant's stem ends with: es-US -> _es_us."""
    return "_" + language.lower().replace("-", "_")


def variant_stem(stem: str, language: str, default_language: str) -> str:
    """The stem of a flow's variant: itself in the default language, main_es_us for main in es-US."""
    return stem if language == default_language else stem + suffix(language)


def prompts_file(flows_folder: Path, language: str) -> Path:
    return flows_folder / PROMPTS_FOLDER / f"{language}.yaml"


def load_translations(flows_folder: Path, languages: tuple[str, ...] | list[str]) -> dict[str, dict[str, dict[str, str]]]:
    """The translations of `languages` (a language without a file has none), from `<flows_folder>/prompts/`."""
    import yaml  # only a deployment with several languages reads YAML here

    found: dict[str, dict[str, dict[str, str]]] = {}
    for language in languages:
        path = prompts_file(flows_folder, language)
        if not path.is_file():
            found[language] = {}
            continue
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise TranslationFileError(f"{path}: cannot be read as YAML ({error})") from None
        if not isinstance(document, Mapping) or not all(
                isinstance(texts, Mapping) and all(isinstance(key, str) and isinstance(text, str) for key, text in texts.items())
                for texts in document.values()):
            raise TranslationFileError(f"{path}: must map each flow file stem to {{action Identifier: text}}, "
                                       "e.g. main: {greeting: Gracias por llamar.}")
        found[language] = {str(stem): dict(texts) for stem, texts in document.items()}
    return found


def variant(document: Mapping[str, Any], stem: str, language: str, translations: Translations,
            translated_stems: set[str], values: Mapping[str, str]) -> dict[str, Any]:
    """The flow `document` (file `stem`) in `language`: each prompt's text from `translations`
    (kept as written when it has none), references to the flows and modules of `translated_stems`
    pointing at their variants in the language, and the placeholders of `values` (the language's
    settings) filled."""
    texts = translations.get(language, {}).get(stem, {})
    renamed = {
        name: placeholders.placeholder(kind, subject + suffix(language))
        for name in placeholders.names_in(document)
        if (found := placeholders.resource_of(name)) is not None
        and (kind := found[0]) in ("flow", "module") and (subject := found[1]) in translated_stems
    }
    translated: dict[str, Any] = placeholders.fill(document, lambda name: values.get(name) or (
        "{{" + renamed[name] + "}}" if name in renamed else None))
    for prompt in prompts(document):
        if prompt.action_id in texts:
            action = next(a for a in translated["Actions"] if isinstance(a, dict) and a.get("Identifier") == prompt.action_id)
            action["Parameters"][prompt.parameter] = placeholders.fill(texts[prompt.action_id], values.get)
    metadata = translated.get("Metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("name"), str):
        metadata["name"] = f"{metadata['name']} ({language})"
    return translated


@dataclass(frozen=True)
class FlowTranslations:
    """What the validator needs to judge one flow's languages: the deployment's languages (the
    default first), this flow's texts by language, and the file each language's texts live in."""

    stem: str
    languages: tuple[str, ...]
    texts: Mapping[str, Mapping[str, str]]  # {language: {action Identifier: text}}
    files: Mapping[str, str]  # {language: the translation file, as shown in problems}

    @classmethod
    def of(cls, stem: str, languages: tuple[str, ...], translations: Translations, flows_folder: Path,
           shown: Any = str) -> FlowTranslations:
        """`shown` turns a translation file's path into the name problems give it."""
        extra = languages[1:]
        return cls(stem, languages, {language: translations.get(language, {}).get(stem, {}) for language in extra},
                   {language: shown(prompts_file(flows_folder, language)) for language in extra})

    @property
    def extra_languages(self) -> tuple[str, ...]:
        return self.languages[1:]


def entry_flow(languages: tuple[str, ...], phone_number_flow: str) -> str:
    """The flow a call starts in: the language menu when several languages are configured."""
    return LANGUAGE_MENU if len(languages) > 1 else phone_number_flow


def deployed_flow_files(files: list[FlowFile], languages: tuple[str, ...], translations: Translations,
                        values_of: Callable[[str], Mapping[str, str]],
                        passed_by: Mapping[str, Collection[str]] | None = None) -> list[FlowFile]:
    """The flows a deployment in `languages` (the default first) has: every file, and each one's variant
    in each other language (`values_of(language)`: that language's settings); the language menu only
    with several languages, and never translated. A file whose stem `passed_by` names is deployed
    without those blocks (flow_language/pruning.py), in every language."""
    files = [_without(flow_file, (passed_by or {}).get(flow_file.stem)) for flow_file in files]
    if len(languages) < 2:
        return [flow_file for flow_file in files if flow_file.stem != LANGUAGE_MENU]
    translated = {flow_file.stem for flow_file in files} - {LANGUAGE_MENU}
    variants = [
        FlowFile(variant_stem(flow_file.stem, language, languages[0]), flow_file.path,
                 variant(flow_file.document, flow_file.stem, language, translations, translated, values_of(language)),
                 flow_file.is_module, language)
        for flow_file in files if flow_file.stem in translated for language in languages[1:]
    ]
    return [*files, *variants]


def _without(flow_file: FlowFile, blocks: Collection[str] | None) -> FlowFile:
    if not blocks:
        return flow_file
    try:
        return replace(flow_file, document=without_blocks(flow_file.document, blocks))
    except PruningError as problem:
        raise FlowFileError(f"{flow_file.path}: {problem}") from None


def deployment_flow_files(directory: Path, languages: tuple[str, ...], values_of: Callable[[str], Mapping[str, str]],
                          passed_by: Mapping[str, Collection[str]] | None = None) -> list[FlowFile]:
    """The flows and modules of `directory` as a deployment in `languages` has them, in deployment
    order (`deployed_flow_files`); FlowFileError or TranslationFileError, one line, when a file is wrong."""
    return deployment_order(deployed_flow_files(load_flow_files(directory), languages,
                                                load_translations(directory, languages[1:]), values_of, passed_by))


def message_scopes(files: list[FlowFile]) -> list[FlowFile]:
    """The flows a holiday or emergency message may be scoped to: the files as written (a variant asks
    the closure check for its file's flow), not the language menu (which asks nothing)."""
    return [flow_file for flow_file in files if flow_file.language is None and flow_file.stem != LANGUAGE_MENU]
