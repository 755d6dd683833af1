"""One local setup for any number of calls: services, our flows, our Lambdas, the simulator.

    with LocalSession() as session:
        transcript = session.call("main", CallSettings(at=...), ScriptedCaller("1 12345678#"),
                                  fault="timeout", messages="closures.yaml")

Each call starts from a clean world: AWS provisioned afresh (seed messages plus the call's own),
the backend fault set, and every function cold (its modules imported again), so nothing one call
did leaks into the next; after it, the process has its own modules and environment back (the
journey tests share a process with other tests). The functions read the simulated clock: any
`utc_now()` in their modules answers the call's `at`, moved on by what the caller waited (`wait:`).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from configuration.model import IvrConfig
from configuration.runtime_values import PIN_CERTIFICATE_SETTING, PIN_SECURITY_KEY_ID_SETTING, flow_settings, language_settings, queue_name
from flow_language import placeholders
from ivr.simulator import transcript as t
from ivr.simulator.callers import Caller
from ivr.simulator.encrypted_input import local_key_pair
from ivr.simulator.engine import CallSettings, Simulator
from ivr.simulator.flows import FlowLibrary, LocalResources
from ivr.simulator.hours import Hours, hours_from_config
from ivr.simulator.lambdas import LocalLambdas
from ivr.simulator.local_data import LocalData
from ivr.simulator.services import REPO_ROOT, LocalServices

FLOWS_ROOT = REPO_ROOT / "contact_flows"


class LocalSession:
    def __init__(self, flows_root: str | Path = FLOWS_ROOT, *, services: LocalServices | None = None,
                 package: str = "lambdas", aws_endpoint: str | None = None, backend_url: str | None = None,
                 async_wait_seconds: float | None = None, data: LocalData | None = None,
                 lambda_stubs: Mapping[str, Any] | None = None):
        self.services = services or LocalServices(aws_endpoint=aws_endpoint, backend_url=backend_url)
        config = self.services.config
        self.functions = LocalLambdas(package, environment=self.services.environment, before_invoke=self._set_clock,
                                      stubs=lambda_stubs)
        resources = LocalResources(
            instance_arn=config.connect_instance.arn,
            time_limits={name: dip.invocation_time_limit_seconds for name, dip in config.dips.items()},
            values={**given_resources(config, Path(flows_root), self.functions), **flow_settings(config),
                    # a PIN is encrypted with the local key pair, whose private key only the local dip reads
                    PIN_CERTIFICATE_SETTING: local_key_pair().certificate_pem,
                    PIN_SECURITY_KEY_ID_SETTING: local_key_pair().key_id},
        )
        self.library = FlowLibrary(Path(flows_root), resources, default_language=config.default_language,
                                   language_values=lambda language: language_settings(config, language))
        hours = opening_hours(config)
        self.simulator = Simulator(self.library, self.functions, hours=hours, time_zone=config.time_zone,
                                   queue_names=lambda queue: queue_name(config, queue),
                                   async_wait_seconds=async_wait_seconds, default_hours=next(iter(hours.values()), None),
                                   data=data, texts_sent=self.services.texts_sent)
        self._at: datetime | None = None  # the simulated clock of the call under way, for the Lambdas
        self._fresh = True

    def __enter__(self) -> LocalSession:
        self.services.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.services.stop()

    def call(self, flow: str, settings: CallSettings, caller: Caller, *, fault: str | None = None,
             messages: str | Path | list | None = None,
             listener: Callable[[t.Event], None] | None = None, data: LocalData | None = None) -> t.Transcript:
        """One call in a clean world; afterwards the process's modules and environment are as before.
        `data` (bots, profiles, cases) replaces the session's for this call."""
        if self._fresh and not messages:
            self.services.set_fault(fault)  # just provisioned by start()
        else:
            self.services.reset(messages, fault)
        self._fresh = False
        self._at = settings.at.astimezone(UTC)
        environ = dict(os.environ)
        session_data = self.simulator.data
        self.simulator.data = data or session_data
        try:
            with self.functions:  # waits for the call's asynchronous dips before it returns
                transcript = self.simulator.call(flow, settings, caller, listener=listener)
        finally:
            self.simulator.data = session_data
            os.environ.clear()
            os.environ.update(environ)
        return transcript

    def _set_clock(self, folder: str, module: Any) -> None:
        if self._at is None:
            return
        call = self.simulator.current
        at = self._at + timedelta(seconds=call.elapsed_seconds if call else 0)  # the caller may have waited
        for name, loaded in list(sys.modules.items()):
            if name.startswith(f"{self.functions.package}.") and callable(getattr(loaded, "utc_now", None)):
                vars(loaded)["utc_now"] = lambda: at  # the module's clock reads the simulated time


def given_resources(config: IvrConfig, flows_root: Path, functions: LocalLambdas) -> dict[str, str]:
    """`flows.resource_arns` as the deployment fills them: as given, except a placeholder the app fills
    itself (its queues and hours, its functions and their time limits, its flows and modules)."""

    def filled_by_the_app(name: str) -> bool:
        resource = placeholders.resource_of(name)
        if resource is None:
            return False
        kind, subject = resource
        if kind == "lambda":
            return functions.available(subject)
        if kind == "time_limit":
            return subject in config.dips
        if kind in ("flow", "module"):
            folder = flows_root / "modules" if kind == "module" else flows_root
            return (folder / f"{subject}.json").is_file()
        return True  # every queue and hours a flow names is created or given by queue_arns / hours_arns

    return {name: value for name, value in config.flows.resource_arns.items() if not filled_by_the_app(name)}


def opening_hours(config: IvrConfig) -> dict[str, Hours]:
    """The hours the app creates (`flows.opening_hours`), under the name the flows check."""
    flows = config.flows
    spans = {day: [list(span)] for day, span in flows.opening_hours.items()}
    hours = hours_from_config(flows.queue_hours, spans, config.time_zone)
    return {flows.queue_hours: hours} if hours else {}
