"""What every section of the configuration is made of: a frozen model read from a cdk.json object,
and the kinds of setting it holds, each refusing a wrong value in the words the user reads (OPS-4).

A check raises `invalid(problem)`, where `problem` ends the sentence "cdk.json context '<key>' ...";
`model.load_config` writes that sentence. Values given on the command line (`-c key=value`) arrive
as strings, so each kind also accepts its value written as text: "45", "true", "a,b" or a JSON list,
a JSON object.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, get_args

from pydantic import BaseModel, ConfigDict, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

INVALID = "invalid_setting"  # the pydantic error type of every check here
HTTPS_URL = re.compile(r"https://[^\s/]+(/[^\s]*)?").fullmatch

Fits = Callable[[str], object]  # truthy when a string is acceptable, like a compiled pattern's fullmatch


def invalid(problem: str, *, key: str | None = None) -> PydanticCustomError:
    """The error of a check; `key` names the entry inside the checked value that is wrong (a dip, a day)."""
    return PydanticCustomError(INVALID, "{problem}", {"problem": problem} if key is None else {"problem": problem, "key": key})


def closest(key: str, known: Sequence[str]) -> str:
    """What a misspelt setting was probably meant to be, or every setting there is."""
    close = difflib.get_close_matches(key, known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"expected one of {list(known)}"


def read_object(value: Any, *, key: str | None = None) -> Mapping[str, Any]:
    if isinstance(value, str):
        value = _parsed_json(value)
    if not isinstance(value, Mapping):
        raise invalid(f"must be an object, got {value!r}", key=key)
    return value


def read_text(value: Any, expected: str = "", fits: Fits | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"must be a non-empty string, got {value!r}")
    if fits is not None and not fits(value):
        raise invalid(f"must be {expected}, got {value!r}")
    return value


def read_whole(value: Any, minimum: int, maximum: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise invalid(f"must be a whole number from {minimum} to {maximum}, got {value!r}")
    return value


def read_boolean(value: Any) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        value = value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise invalid(f"must be true or false, got {value!r}")
    return value


def text(expected: str = "", fits: Fits | None = None) -> PlainValidator:
    """A non-empty string; with `fits`, one it accepts (`expected` says which, for the message)."""
    return PlainValidator(lambda value: read_text(value, expected, fits))


def optional_text(expected: str, fits: Fits) -> PlainValidator:
    """Empty, or a string `fits` accepts."""

    def check(value: Any) -> str:
        if value == "":
            return ""
        if not isinstance(value, str) or not fits(value):
            raise invalid(f"must be {expected}, got {value!r}")
        return value

    return PlainValidator(check)


def whole(minimum: int, maximum: int) -> PlainValidator:
    return PlainValidator(lambda value: read_whole(value, minimum, maximum))


def one_of(choices: object) -> PlainValidator:
    """One of the values of a `Literal[...]` type."""
    options = get_args(choices)

    def check(value: Any) -> str:
        if read_text(value) not in options:
            raise invalid(f"must be one of {list(options)}, got {value!r}")
        return value

    return PlainValidator(check)


def listed(expected: str, fits: Fits, *, at_least_one: str | None = None) -> PlainValidator:
    """A list of strings `fits` accepts, as a tuple; `at_least_one` is the message when it is empty and must not be."""

    def check(value: Any) -> tuple[str, ...]:
        if isinstance(value, str):  # from `-c key=...`: a JSON list, or one comma-separated string
            value = _parsed_json(value) if value.strip().startswith("[") else [v for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) and fits(v.strip()) for v in value):
            raise invalid(f"must be a list of {expected}, got {value!r}")
        if not value and at_least_one:
            raise invalid(at_least_one)
        return tuple(v.strip() for v in value)

    return PlainValidator(check)


def _parsed_json(value: str) -> Any:
    """The JSON value a string holds, or the string when it holds none (the check then names it)."""
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


BOOLEAN = PlainValidator(read_boolean)


class Section(BaseModel):
    """A cdk.json object, or a group of top-level keys: a key given as null counts as not given, and
    a key nothing reads is refused with the closest known name (it would silently fall back to a default)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    noun: ClassVar[str] = "setting"  # what the section's keys are, in the message for an unknown one

    @model_validator(mode="before")
    @classmethod
    def _known_keys_given(cls, value: Any) -> dict[str, Any]:
        given = {key: setting for key, setting in read_object(value).items() if setting is not None}
        known = list(cls.model_fields)
        for key in sorted(set(given) - set(known)):
            raise invalid(f"is not a known {cls.noun}: {closest(key, known)}", key=key)
        return given
