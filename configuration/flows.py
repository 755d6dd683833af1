"""Context object `flows`: the contact flows and what they route to (issue 4), every key optional."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, PlainValidator

from configuration.settings import Section, invalid, optional_text, read_object, read_text, text, whole

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
DEFAULT_OPENING_HOURS = {day: "08:00-20:00" for day in WEEKDAYS[:5]}
# The caller journeys as Connect test cases, inside `directory`: testkit/connect_test_cases.py writes it, synth deploys it.
TEST_CASES_FILE = "test_cases/journeys.json"

_CONNECT_RESOURCE_ARN = r"arn:aws[a-z-]*:connect:[a-z]{2}(-[a-z]+)+-\d:\d{12}:instance/[0-9a-f-]{36}/%s/[0-9a-f-]{36}"
_PHONE_NUMBER_ARN = re.compile(r"arn:aws[a-z-]*:connect:[a-z]{2}(-[a-z]+)+-\d:\d{12}:phone-number/[0-9a-f-]{36}").fullmatch
_NAME = re.compile(r"[a-z][a-z0-9_]*").fullmatch
_WEBSITE = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~/-]*)?").fullmatch
_LANGUAGE = re.compile(r"[a-z]{2,3}-[A-Z]{2}").fullmatch
_OPENING_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d").fullmatch


def _arns_by_name(kind: str) -> PlainValidator:
    """Existing Connect resources of one kind (queue, operating-hours) by the name the flows use."""
    arn = re.compile(_CONNECT_RESOURCE_ARN % kind).fullmatch

    def check(value: Any) -> dict[str, str]:
        given = read_object(value)
        for name, resource in given.items():
            if not _NAME(name) or not isinstance(resource, str) or not arn(resource):
                raise invalid(f"must map a lowercase name to an Amazon Connect {kind} ARN "
                              f"(arn:aws:connect:REGION:ACCOUNT:instance/ID/{kind}/ID), got {resource!r}", key=name)
        return dict(given)

    return PlainValidator(check)


def _resource_values(value: Any) -> dict[str, str]:
    """Placeholder name -> the ARN or id the deploy fills it with, for resources the app neither
    creates nor owns (what `ivr flows import` lists: another stack's Lambda, a prompt, a Lex bot)."""
    given = read_object(value)
    for name, resource in given.items():
        if not _NAME(name) or not isinstance(resource, str) or not resource or any(c.isspace() for c in resource) \
                or "{{" in resource or "}}" in resource:
            raise invalid(f"must map a lowercase placeholder name to an ARN or id (no spaces or braces), got {resource!r}",
                          key=name)
    return dict(given)


def _opening_hours(value: Any) -> dict[str, tuple[str, str]]:
    hours = {}
    for day, span in read_object(value).items():
        if day not in WEEKDAYS or not isinstance(span, str) or not _OPENING_TIME(span) or span[:5] >= span[6:]:
            raise invalid(f"must be a day {list(WEEKDAYS)} mapped to 'HH:MM-HH:MM' (opening before closing), got {span!r}", key=day)
        hours[day] = (span[:5], span[6:])
    return hours


def _prompt_text(value: Any, key: str | None = None) -> str:
    """Said in a prompt: the flow files' placeholders must not appear in it."""
    said = read_text(value)
    if "{{" in said or "}}" in said or len(said) > 200:
        raise invalid(f"must be at most 200 characters without {{{{ or }}}}, got {said!r}", key=key)
    return said


def _prompt_texts(value: Any) -> dict[str, str]:
    """A prompt text by language code (the languages other than the default)."""
    texts = read_object(value)
    for language, said in texts.items():
        if not _LANGUAGE(language):
            raise invalid(f"must map language codes like 'es-US' to texts, got {language!r}", key=language)
        _prompt_text(said, key=language)
    return dict(texts)


class FlowsConfig(Section):
    """`directory`: the flow files (default `contact_flows`, relative to the repository).
    `queue_arns` / `hours_arns`: existing queues / hours of operation by the name the flows use
    (`{{orders_queue_arn}}` -> `orders`); names not listed are created by the app, queues with
    the hours `queue_hours`, hours with `opening_hours` (day -> "HH:MM-HH:MM", in `time_zone`).
    `resource_arns`: placeholder name -> ARN or id, filled as given, for resources the app neither
    creates nor owns (`{{vanity_lambda_arn}}`, `{{welcome_prompt_arn}}`), as `ivr flows import` lists them.
    `phone_number_arn`: a claimed number to point at flow `phone_number_flow` (default main).
    Prompt texts: `opening_hours_text` (said after "we're open", in the default language;
    `opening_hours_texts` gives it in the other languages), `website` (a host name and optional
    path, said in prompts). Long wait in the queue flow (CX-10): the oldest contact has waited, or
    Connect expects a wait of, more than `long_wait_seconds`, or more than `long_queue_contacts` are
    waiting; the offer of a text or a callback comes again every `wait_offer_every_minutes` while the
    wait is long, and so does the expected wait.
    """

    directory: Annotated[str, text()] = "contact_flows"
    queue_arns: Annotated[Mapping[str, str], _arns_by_name("queue")] = Field(default_factory=dict)
    hours_arns: Annotated[Mapping[str, str], _arns_by_name("operating-hours")] = Field(default_factory=dict)
    resource_arns: Annotated[Mapping[str, str], PlainValidator(_resource_values)] = Field(default_factory=dict)
    queue_hours: Annotated[str, text("a lowercase hours name like 'customer_service'", _NAME)] = "customer_service"
    opening_hours: Annotated[Mapping[str, tuple[str, str]], PlainValidator(_opening_hours)] = Field(DEFAULT_OPENING_HOURS, validate_default=True)
    phone_number_arn: Annotated[
        str, optional_text("an Amazon Connect phone number ARN (arn:aws:connect:REGION:ACCOUNT:phone-number/ID) or empty", _PHONE_NUMBER_ARN)
    ] = ""
    phone_number_flow: Annotated[str, text()] = "main"
    opening_hours_text: Annotated[str, PlainValidator(_prompt_text)] = "Monday to Friday, 8 AM to 8 PM"
    opening_hours_texts: Annotated[Mapping[str, str], PlainValidator(_prompt_texts)] = Field(default_factory=dict)
    website: Annotated[str, text("a host name with an optional path, like 'www.example.com/help'", _WEBSITE)] = "www.example.com"
    long_wait_seconds: Annotated[int, whole(10, 86400)] = 300
    long_queue_contacts: Annotated[int, whole(1, 100000)] = 10
    wait_offer_every_minutes: Annotated[int, whole(1, 60)] = 3
