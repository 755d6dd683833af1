"""Flow validator: time to validate the largest reference flow, our largest flow and a generated
250-action flow.

Each figure is the median of N runs of `flow_language.validate_flow` on the JSON text (parsing
included), in the same process; the import of the validator is the median of a few fresh
interpreters.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from benchmarks._measure import REPO_ROOT, arguments, cold_import_ms, count
from flow_language import validate_flow
from flow_language.catalog import MAX_ACTIONS

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
