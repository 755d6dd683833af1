"""Flow validator: time to validate the largest reference flow, our largest flow, a generated
250-action flow, and a whole folder of 100 flows.

Each single-flow figure is the median of N runs of `flow_language.validate_flow` on the JSON text
(parsing included), in the same process; the import of the validator is the median of a few fresh
interpreters. The folder figure is `check_files` over every file of the folder, reading included
(median of a few runs), and `ivr flows check` on them in a fresh process, start-up included. The
default folder holds 100 flows written here: ours, the reference flows, and generated flows of
10 to 100 actions (about three times the size of the average real flow); `--flows DIR` measures
any folder instead (e.g. flows gathered from others).
"""
from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._measure import REPO_ROOT, arguments, cold_import_ms, count
from flow_language import check_files, validate_flow
from flow_language.catalog import MAX_ACTIONS
from flow_language.files import FLOWS_FOLDER, flow_paths

REFERENCE_FLOWS = REPO_ROOT / "tests" / "reference_flows"


def generated_flow(size: int = MAX_ACTIONS) -> str:
    """A flow of `size` actions shaped like an IVR: repeated blocks of a menu (retries counted by a
    Loop, 0 to the agent queue), a message, a Lambda dip and a Compare whose FOUND branch leads to
    the next block's menu, then messages up to `size`, a goodbye and the disconnect. Each menu is
    one level below the previous one, so the menu-depth rule reports most of them: the figure
    includes writing those warnings."""
    actions: list[dict] = []

    def add(identifier: str, type_: str, parameters: dict, next_action: str | None, errors=(), conditions=()) -> None:
        transitions: dict = {"Errors": [{"ErrorType": e, "NextAction": t} for e, t in errors],
                             "Conditions": [{"NextAction": t, "Condition": {"Operator": "Equals", "Operands": [o]}}
                                            for o, t in conditions]}
        if next_action:
            transitions["NextAction"] = next_action
        actions.append({"Identifier": identifier, "Type": type_, "Parameters": parameters, "Transitions": transitions})

    block = 0
    while len(actions) + 5 + 3 <= size:
        here, after = f"b{block}", f"b{block + 1}"
        add(f"{here}-menu", "GetParticipantInput",
            {"Text": "Press 1 for orders, or 0 for an agent.", "StoreInput": "False", "InputTimeLimitSeconds": "5"},
            f"{here}-retry", errors=[("InputTimeLimitExceeded", f"{here}-retry"), ("NoMatchingCondition", f"{here}-retry"),
                                     ("NoMatchingError", "goodbye")],
            conditions=[("1", f"{here}-say"), ("0", "agent")])
        add(f"{here}-retry", "Loop", {"LoopCount": "2"}, None,
            conditions=[("ContinueLooping", f"{here}-menu"), ("DoneLooping", "agent")])
        add(f"{here}-say", "MessageParticipant", {"Text": "I'm looking that up now."}, f"{here}-dip",
            errors=[("NoMatchingError", "goodbye")])
        add(f"{here}-dip", "InvokeLambdaFunction",
            {"LambdaFunctionARN": "{{order_status_lambda_arn}}", "InvocationTimeLimitSeconds": "4"}, f"{here}-check",
            errors=[("NoMatchingError", "goodbye")])
        add(f"{here}-check", "Compare", {"ComparisonValue": "$.External.result"}, "goodbye",
            errors=[("NoMatchingCondition", "goodbye")], conditions=[("FOUND", f"{after}-menu")])
        block += 1
    last_check = actions[-1]["Transitions"]
    last_check["Conditions"][0]["NextAction"] = "goodbye"
    while len(actions) + 3 < size:  # messages chained from the last Compare to the goodbye
        last_check["NextAction"] = f"pad{len(actions)}"
        add(f"pad{len(actions)}", "MessageParticipant", {"Text": "One moment."}, "goodbye",
            errors=[("NoMatchingError", "goodbye")])
        last_check = actions[-1]["Transitions"]
    add("agent", "TransferContactToQueue", {}, "goodbye",
        errors=[("QueueAtCapacity", "goodbye"), ("NoMatchingError", "goodbye")])
    add("goodbye", "MessageParticipant", {"Text": "Goodbye."}, "end", errors=[("NoMatchingError", "end")])
    add("end", "DisconnectParticipant", {}, None)
    actions[-1]["Transitions"] = {}
    return json.dumps({"Version": "2019-10-30", "StartAction": "b0-menu", "Metadata": {}, "Actions": actions})


# Flows exported from Connect and published hold 12 actions on average, 94 at most (131 files from
# 26 public repositories, measured for issue 19): these sizes make the folder a heavier one.
GENERATED_SIZES = (10, 12, 16, 24, 40, 100)


def folder_of_flows(target: Path, size: int = 100) -> list[Path]:
    """`size` flow files in `target`: ours and the reference flows, then generated ones to fill up."""
    written = []
    sources = [*flow_paths(REPO_ROOT / FLOWS_FOLDER), *sorted(REFERENCE_FLOWS.glob("*.json"))]
    for index, source in enumerate(sources[:size]):
        folder = target / "modules" if source.parent.name == "modules" else target
        folder.mkdir(parents=True, exist_ok=True)
        written.append(folder / f"{index:03}-{source.name}")
        written[-1].write_text(source.read_text())
    sizes = itertools.cycle(GENERATED_SIZES)
    while len(written) < size:
        actions = next(sizes)
        written.append(target / f"{len(written):03}-generated-{actions}.json")
        written[-1].write_text(generated_flow(actions))
    return written


def folder_figures(paths: list[Path], runs: int) -> tuple[float, float, int]:
    """(median ms of check_files in this process, ms of `ivr flows check` in a fresh one, errors)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        problems = check_files(paths)
        times.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ivr", "flows", "check", *map(str, paths)], cwd=REPO_ROOT,
                   capture_output=True, check=False)
    fresh_ms = (time.perf_counter() - started) * 1000
    return statistics.median(times), fresh_ms, sum(problem.severity == "error" for problem in problems)


def median_ms(text: str, runs: int) -> tuple[float, int]:
    """(median milliseconds of one validation, number of problems found)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        problems = validate_flow(text, name="bench.json", placeholders_allowed=True, strict=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(problems)


def largest(paths: list[Path]) -> tuple[Path, str, int] | None:
    """(path, text, number of actions) of the flow with the most actions."""
    flows = [(path, path.read_text()) for path in paths]
    sized = [(path, text, len(json.loads(text)["Actions"])) for path, text in flows]
    return max(sized, key=lambda item: item[2], default=None)


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_validator", __doc__)
    parser.add_argument("--runs", type=count, default=50, help="validations per flow (default 50)")
    parser.add_argument("--import-runs", type=count, default=5, help="fresh interpreters for the import (default 5)")
    parser.add_argument("--flows", type=Path, metavar="DIR",
                        help="measure the folder figure on every *.json under DIR (default: 100 flows written here)")
    args = parser.parse_args(argv)
    runs = args.runs
    print(f"flow validator, median of {runs} runs")
    print(f"  import flow_language (median of {args.import_runs} fresh interpreters): "
          f"{cold_import_ms('flow_language', args.import_runs):7.1f} ms")
    for label, paths in (("reference flow", sorted(REFERENCE_FLOWS.glob("*.json"))),
                         ("flow of ours", sorted((REPO_ROOT / "contact_flows").glob("*.json")))):
        found = largest(paths)
        if found:
            path, text, size = found
            ms, problems = median_ms(text, runs)
            print(f"  largest {label} ({path.name}, {size} actions): {ms:7.2f} ms ({problems} problems under --strict)")
    generated = generated_flow()
    ms, problems = median_ms(generated, runs)
    print(f"  generated flow ({len(json.loads(generated)['Actions'])} actions): {ms:7.2f} ms "
          f"({problems} problems under --strict)")
    with tempfile.TemporaryDirectory() as scratch:
        paths = sorted(args.flows.rglob("*.json")) if args.flows else folder_of_flows(Path(scratch))
        in_process, fresh, errors = folder_figures(paths, max(3, runs // 10))
    where = args.flows or "written here"
    print(f"  folder of {len(paths)} flows ({where}): {in_process:7.1f} ms in all (check_files); "
          f"`ivr flows check` in a fresh process {fresh:.0f} ms; {errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
