"""What each configured language needs besides its prompts: a voice, and the settings the prompts say.

The flows are written in the default language (the first of `languages`); each other language's
prompts are in contact_flows/prompts/<language>.yaml. A caller in a language hears the Amazon Polly
voice `voices` gives it (a neural voice of that language by default), and the one setting the
prompts speak, `flows.opening_hours_text`, in that language (`flows.opening_hours_texts`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from configuration.errors import ConfigError

if TYPE_CHECKING:
    from configuration.model import IvrConfig

# A neural Amazon Polly voice per language (Polly developer guide, "Available voices").
DEFAULT_VOICES = {
    "en-US": "Joanna", "en-GB": "Amy", "en-AU": "Olivia", "es-US": "Lupe", "es-MX": "Mia", "es-ES": "Lucia",
    "fr-CA": "Gabrielle", "fr-FR": "Lea", "de-DE": "Vicki", "it-IT": "Bianca", "pt-BR": "Camila",
}
VOICE_ENGINE = "Neural"
# `flows.opening_hours_text`'s default, and what it is in the languages we ship prompts for.
DEFAULT_OPENING_HOURS_TEXT = "Monday to Friday, 8 AM to 8 PM"
DEFAULT_OPENING_HOURS_TEXTS = {"en-US": DEFAULT_OPENING_HOURS_TEXT, "es-US": "de lunes a viernes, de 8 de la mañana a 8 de la noche"}


def voice(config: IvrConfig, language: str) -> str:
    """The voice of a language (check_languages holds every configured language to have one)."""
    default = config.default_language
    return config.voices.get(language) or DEFAULT_VOICES.get(language) or config.voices.get(default) or DEFAULT_VOICES[default]


def opening_hours_text(config: IvrConfig, language: str) -> str:
    """`flows.opening_hours_text` in a language; the default language's for a language that has none."""
    flows = config.flows
    if language == config.default_language:
        return flows.opening_hours_text
    if language in flows.opening_hours_texts:
        return flows.opening_hours_texts[language]
    if flows.opening_hours_text == DEFAULT_OPENING_HOURS_TEXT and language in DEFAULT_OPENING_HOURS_TEXTS:
        return DEFAULT_OPENING_HOURS_TEXTS[language]
    return flows.opening_hours_text


def check_languages(config: IvrConfig) -> None:
    """ConfigError naming the key when a configured language has no voice or no opening-hours text."""
    for language in config.languages:
        if language not in config.voices and language not in DEFAULT_VOICES:
            raise ConfigError(f"cdk.json context 'voices' has no voice for {language}: give a neural Amazon Polly voice "
                              f"of that language, e.g. -c 'voices={{\"{language}\": \"<voice>\"}}'")
    default_text = config.flows.opening_hours_text == DEFAULT_OPENING_HOURS_TEXT
    for language in config.languages[1:]:
        if language not in config.flows.opening_hours_texts and not (default_text and language in DEFAULT_OPENING_HOURS_TEXTS):
            raise ConfigError(f"cdk.json context 'flows.opening_hours_texts' has no text for {language}: the prompts "
                              f"say flows.opening_hours_text ({config.flows.opening_hours_text!r}) in each language; give "
                              f"it, e.g. {{\"{language}\": \"...\"}}")
