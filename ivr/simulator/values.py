"""Values inside a running flow: JSONPath references, SSML shown as text, and Compare operators.

Connect resolves `$.External.result`, `$.Attributes.orderId`, `$.StoredCustomerInput` and the other
system paths against the contact; a free-text parameter may hold several of them
("Hello $.External.first_name"). A path to nothing resolves to "" (and is reported to the caller
of `resolve_text` so the transcript can say so).
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# `$.External.first_name`, `$.Queue.Name`, `$.Attributes['reason code']`, `$.StoredCustomerInput`.
# A sentence-ending dot is not part of a path: a dot must be followed by a name character.
_SEGMENT = r"(?:\.[A-Za-z0-9_-]+|\[['\"][^'\"\]]+['\"]\])"
JSONPATH = re.compile(r"\$\.[A-Za-z][A-Za-z0-9_-]*" + _SEGMENT + "*")
_SEGMENTS = re.compile(_SEGMENT)

NUMBER_OPERATORS = frozenset({
    "NumberGreaterThan", "NumberGreaterOrEqualTo", "NumberLessThan", "NumberLessOrEqualTo",
})


def path_segments(path: str) -> list[str]:
    """`$.Attributes['a b'].c` -> ['Attributes', 'a b', 'c']."""
    body = path[2:]
    first = re.match(r"[A-Za-z][A-Za-z0-9_-]*", body)
    segments = [first.group(0)] if first else []
    for match in _SEGMENTS.finditer(body, first.end() if first else 0):
        token = match.group(0)
        segments.append(token[1:] if token.startswith(".") else token[2:-2])
    return segments


def lookup_path(root: Mapping[str, Any], path: str) -> Any:
    """The value at a JSONPath under `root` (the contact's namespaces), None when absent."""
    value: Any = root
    for segment in path_segments(path):
        if not isinstance(value, Mapping) or segment not in value:
            return None
        value = value[segment]
    return value


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, sort_keys=True)
    return str(value)


def resolve_text(value: Any, root: Mapping[str, Any], missing: Callable[[str], None] | None = None) -> Any:
    """A parameter with its JSONPaths replaced by their values; non-strings pass through.

    A value that is one whole path keeps the type it resolves to (a map stays a map); a path in
    free text becomes text. `missing(path)` is called for each path that resolves to nothing.
    """
    if not isinstance(value, str) or "$." not in value:
        return value
    whole = JSONPATH.fullmatch(value.strip())
    if whole:
        found = lookup_path(root, value.strip())
        if found is None and missing:
            missing(value.strip())
        return "" if found is None else (found if isinstance(found, (dict, list)) else as_text(found))

    def replace(match: re.Match) -> str:
        found = lookup_path(root, match.group(0))
        if found is None and missing:
            missing(match.group(0))
        return as_text(found)

    return JSONPATH.sub(replace, value)


def resolve_deep(value: Any, root: Mapping[str, Any], missing: Callable[[str], None] | None = None) -> Any:
    if isinstance(value, Mapping):
        return {key: resolve_deep(item, root, missing) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_deep(item, root, missing) for item in value]
    return resolve_text(value, root, missing)


# --- SSML as the caller would hear it, in words -----------------------------------------------

_SAY_AS = re.compile(r"<say-as\b([^>]*)>(.*?)</say-as\s*>", re.S | re.I)
_INTERPRET_AS = re.compile(r"interpret-as\s*=\s*['\"]([^'\"]+)['\"]", re.I)
_BREAK = re.compile(r"<break\b[^>]*/?>", re.I)
_PARAGRAPH = re.compile(r"</?(p|s)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _say_as(match: re.Match) -> str:
    attributes, content = match.group(1), match.group(2)
    kind = _INTERPRET_AS.search(attributes)
    content = _TAG.sub("", content).strip()
    if kind and kind.group(1).lower() in {"digits", "characters", "spell-out", "telephone"}:
        return " ".join(ch for ch in content if not ch.isspace())
    return content


def ssml_to_text(ssml: str) -> str:
    """What a caller hears, written down: tags gone, digits said one by one where SSML says so."""
    text = _SAY_AS.sub(_say_as, ssml)
    text = _BREAK.sub(" ", text)
    text = _PARAGRAPH.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return tidy(text)


def tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line)


# --- Compare and the conditions of other blocks ----------------------------------------------


def number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def condition_true(operator: str, left: Any, right: Any) -> bool:
    """Connect's operators; number operators are false when either side is not a number."""
    if operator in NUMBER_OPERATORS:
        a, b = number(left), number(right)
        if a is None or b is None:
            return False
        return {
            "NumberGreaterThan": a > b,
            "NumberGreaterOrEqualTo": a >= b,
            "NumberLessThan": a < b,
            "NumberLessOrEqualTo": a <= b,
        }[operator]
    text, other = as_text(left), as_text(right)
    if operator == "Equals":
        return text == other
    if operator == "TextStartsWith":
        return text.startswith(other)
    if operator == "TextEndsWith":
        return text.endswith(other)
    if operator == "TextContains":
        return other in text
    raise UnknownOperator(operator)


class UnknownOperator(ValueError):
    pass
