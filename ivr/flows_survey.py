"""`ivr flows survey DIR...`: how the validator and the simulator fare on a folder of anyone's flows.

For every flow file found under the folders (`*.json` and files without an extension, as the
console exports them), the survey checks it as `ivr flows check FILE` would and makes one call
through it as `ivr call FILE --keys KEYS` would, then counts: accepted or rejected by the validator,
and run to an end or stopped by the simulator. Files that are not flows (other JSON, the legacy
format) are counted apart. It is how the project measures itself on flows it did not write.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flow_language import FlowFileError, FlowFormatError, check_files, read_flow

_SKIPPED_FOLDERS = frozenset({".git", "node_modules", "cdk.out", ".venv", "__pycache__"})


@dataclass
class FileResult:
    path: str
    validator: str  # accepted | rejected | not a flow
    errors: int = 0
    warnings: int = 0
    first_error: str = ""
    simulator: str = ""  # ended | stopped | not run | crashed (a Python exception: a simulator bug)
    outcome: str = ""
    steps: int = 0


def candidate_files(folders: list[Path]) -> Iterator[Path]:
    """Files that may hold a flow: *.json, and files with no extension that start like JSON."""
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if _SKIPPED_FOLDERS.intersection(path.relative_to(folder).parts) or not path.is_file():
                continue
            if path.suffix == ".json" or (not path.suffix and _starts_like_json(path)):
                yield path


def _starts_like_json(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def _not_a_flow(path: Path) -> str | None:
    """Why the file holds no flow (legacy format, other JSON, unreadable); None when it holds one."""
    try:
        read_flow(path.read_bytes())
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    except FlowFormatError as error:
        return str(error)
    return None


def check(path: Path) -> FileResult:
    result = FileResult(str(path), "not a flow")
    reason = _not_a_flow(path)
    if reason is not None:
        result.first_error = reason
        return result
    try:
        problems = check_files([path])
    except FlowFileError as error:
        result.first_error = str(error)
        return result
    errors = [problem for problem in problems if problem.severity == "error"]
    result.validator = "rejected" if errors else "accepted"
    result.errors, result.warnings = len(errors), len(problems) - len(errors)
    result.first_error = f"{errors[0].action_id}: [{errors[0].rule}] {errors[0].message}" if errors else ""
    return result


class Caller:
    """One local call per flow file, all in one set of local services (started once)."""

    def __init__(self, keys: str, at: datetime):
        from ivr.simulator.services import LocalServices

        self.keys, self.at = keys, at
        self.services = LocalServices()

    def __enter__(self) -> Caller:
        self.services.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.services.stop()

    def call(self, path: Path, result: FileResult) -> None:
        from ivr.simulator import transcript as t
        from ivr.simulator.callers import ScriptedCaller
        from ivr.simulator.engine import CallSettings
        from ivr.simulator.flows import FlowNotFound, FlowUnreadable
        from ivr.simulator.session import LocalSession

        session = LocalSession(path.parent, services=self.services, async_wait_seconds=0)
        try:
            transcript = session.call(str(path), CallSettings(at=self.at), ScriptedCaller(self.keys))
        except (FlowNotFound, FlowUnreadable) as error:
            result.simulator, result.outcome = "not run", str(error)
            return
        except Exception as error:  # noqa: BLE001 - a crash is what a survey is for finding: count it, go on
            result.simulator, result.outcome = "crashed", f"{type(error).__name__}: {error}"
            return
        outcome = transcript.outcome
        stopped = outcome is None or outcome.kind == t.STOPPED
        result.simulator = "stopped" if stopped else "ended"
        result.outcome = outcome.description if outcome is not None else "no outcome"
        result.outcome = result.outcome.removeprefix("the simulator stopped the call: ")
        result.steps = len(transcript.visited())


def survey(folders: list[Path], *, keys: str, at: datetime, simulate: bool = True,
           progress: Any = None) -> list[FileResult]:
    paths = list(candidate_files(folders))
    results = [check(path) for path in paths]
    if simulate:
        with Caller(keys, at) as caller:
            for done, result in enumerate(results, 1):
                if result.validator != "not a flow":
                    caller.call(Path(result.path), result)
                if progress is not None and (done % 20 == 0 or done == len(results)):
                    progress(f"simulated {done} of {len(results)} files")
    return results


def summary(results: list[FileResult]) -> dict[str, Any]:
    validator = Counter(result.validator for result in results)
    simulator = Counter(result.simulator for result in results if result.simulator)
    return {
        "files": len(results),
        "validator": {kind: validator[kind] for kind in ("accepted", "rejected", "not a flow")},
        "simulator": {kind: simulator[kind] for kind in ("ended", "stopped", "not run", "crashed")},
        "stops": Counter(_stop_cause(r.outcome) for r in results if r.simulator == "stopped").most_common(),
    }


def _stop_cause(description: str) -> str:
    """The reason of a stop without the flow and action that name where: what stops count by."""
    return description.partition("): ")[2] or description


def render_text(results: list[FileResult], figures: dict[str, Any]) -> str:
    lines = []
    for result in results:
        if result.validator == "rejected":
            lines.append(f"rejected  {result.path}: {result.errors} error(s), first: {result.first_error}")
        if result.simulator in ("stopped", "not run", "crashed"):
            lines.append(f"{result.simulator:9} {result.path}: {result.outcome}")
    v, s = figures["validator"], figures["simulator"]
    lines.append(f"surveyed {figures['files']} files: validator accepted {v['accepted']}, rejected {v['rejected']}, "
                 f"{v['not a flow']} not a flow; simulator ran {s['ended']} to an end, stopped {s['stopped']}, "
                 f"could not run {s['not run']}, crashed {s['crashed']}")
    lines.extend(f"  stopped {count}x: {cause}" for cause, count in figures["stops"])
    return "\n".join(lines)


def run(args: Any) -> int:
    from ivr.call_cmd import parse_at
    from ivr.cli import UsageError
    from ivr.simulator.services import repo_config

    missing = [str(folder) for folder in args.folders if not folder.is_dir()]
    if missing:
        raise UsageError(f"not a folder: {', '.join(missing)}")
    at = parse_at(args.at, repo_config().time_zone)
    results = survey(args.folders, keys=args.keys, at=at, simulate=not args.no_simulate,
                     progress=lambda line: print(line, file=sys.stderr, flush=True))
    figures = summary(results)
    if args.format == "json":
        print(json.dumps({"summary": figures, "files": [asdict(result) for result in results]}, indent=2))
    else:
        print(render_text(results, figures))
    return 0
