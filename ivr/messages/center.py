"""What `ivr messages` knows about the contact center from the repository: its time zone, its
languages, the queues and flows a message may be scoped to, its hours (cdk.json and contact_flows/)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lambdas.closure_check.model import MessageError

REPO_ROOT = Path(__file__).resolve().parents[2]
CDK_JSON = REPO_ROOT / "cdk.json"
FLOWS_FOLDER = REPO_ROOT / "contact_flows"


@dataclass(frozen=True)
class Center:
    time_zone: str
    languages: tuple[str, ...]
    queues: frozenset[str]  # names in Connect, as queue scopes use them (ivr-dev-billing)
    flows: frozenset[str]  # the flows' names, as flow scopes use them (main)
    # The hours the app creates (weekday -> opening, closing "HH:MM"); empty when Connect's hours are given by ARN.
    opening_hours: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def with_time_zone(self, name: str | None) -> Center:
        """This center seen from another time zone (--time-zone); MessageError for an unknown one."""
        if not name:
            return self
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise MessageError(f"unknown time zone {name!r} (expected an IANA name like America/New_York)") from None
        return replace(self, time_zone=name)


def load_center() -> Center:
    """The deployment's settings as synth reads them (ConfigError, one line, when cdk.json is wrong)."""
    from configuration.model import load_config
    from configuration.runtime_values import queue_name
    from flow_language.files import load_flow_files

    config = load_config(json.loads(CDK_JSON.read_text(encoding="utf-8"))["context"])
    files = load_flow_files(FLOWS_FOLDER)
    queues = set().union(*(f.references("queue") for f in files)) | set(config.flows.queue_arns)
    return Center(
        time_zone=config.time_zone,
        languages=tuple(config.languages),
        queues=frozenset(queue_name(config, queue) for queue in queues),
        flows=frozenset(f.stem for f in files if not f.is_module),
        opening_hours={} if config.flows.queue_hours in config.flows.hours_arns else dict(config.flows.opening_hours),
    )
