"""The languages the functions answer callers in: Spanish for a contact in any es-* language, English
otherwise (the languages contact_flows/prompts/ ships texts for)."""
from __future__ import annotations


def is_spanish(language: str | None) -> bool:
    """Whether a contact in `language` (Connect's LanguageCode: es-US, es-ES, en-US, ...) hears Spanish."""
    return bool(language) and str(language).lower().startswith("es")
