"""Caller journeys: time of the whole scenario suite through the simulator, and path coverage.

Runs every scenario of tests/journeys/scenarios/ once in one local session (one moto server and
one fake backend, started once), as the journey tests do, and prints the start-up time, the
total and per-scenario times (the slowest ones named) and the actions the scenarios reach out of
the actions in our flows, and the simulator's speed in actions run (steps) per second: over the
journeys (Lambda calls to moto and the fake backend included) and for the interpreter alone (a
flow of messages, attribute updates and comparisons looped 100 times, no Lambda).
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks._measure import arguments, count
from ivr.simulator.callers import ScriptedCaller
from ivr.simulator.engine import CallSettings
from ivr.simulator.session import LocalSession
from testkit.journey_coverage import actions_in, reached, report
from testkit.journeys import check, load_scenarios, run_scenario


def interpreter_flow() -> dict:
    """A Loop of 100 rounds over a message, an attribute update and a Compare: 4 steps a round."""
    def action(identifier: str, type_: str, parameters: dict, next_action: str | None = None, **transitions) -> dict:
        return {"Identifier": identifier, "Type": type_, "Parameters": parameters,
                "Transitions": {"NextAction": next_action, **transitions} if next_action else transitions}
    return {"Version": "2019-10-30", "StartAction": "loop", "Metadata": {}, "Actions": [
        action("loop", "Loop", {"LoopCount": "100"}, Conditions=[
            {"NextAction": "say", "Condition": {"Operator": "Equals", "Operands": ["ContinueLooping"]}},
            {"NextAction": "end", "Condition": {"Operator": "Equals", "Operands": ["DoneLooping"]}}]),
        action("say", "MessageParticipant", {"Text": "One moment."}, "set", Errors=[{"ErrorType": "NoMatchingError", "NextAction": "end"}]),
        action("set", "UpdateContactAttributes", {"Attributes": {"round": "$.Attributes.round"}}, "check",
               Errors=[{"ErrorType": "NoMatchingError", "NextAction": "end"}]),
        action("check", "Compare", {"ComparisonValue": "$.Attributes.round"}, None,
               Conditions=[{"NextAction": "loop", "Condition": {"Operator": "Equals", "Operands": ["never"]}}],
               Errors=[{"ErrorType": "NoMatchingCondition", "NextAction": "loop"}]),
        action("end", "DisconnectParticipant", {}),
    ]}


def interpreter_steps_per_second(session: LocalSession, calls: int) -> tuple[int, float]:
    """(steps of one call, steps per second) of the interpreter alone, over `calls` calls."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "loop.json").write_text(json.dumps(interpreter_flow()))
        steps, began = 0, time.perf_counter()
        for _ in range(calls):
            # A new session on the same services: its first call needs no reset of AWS.
            local = LocalSession(folder, services=session.services, async_wait_seconds=0)
            transcript = local.call("loop", CallSettings(at=datetime.now(UTC), max_steps=1000), ScriptedCaller(""))
            steps += len(transcript.visited())
        return steps // calls, steps / (time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_journeys", __doc__)
    parser.add_argument("--slowest", type=count, default=3, help="how many of the slowest scenarios to name (default 3)")
    parser.add_argument("--interpreter-calls", type=count, default=20,
                        help="calls of the looping flow for the interpreter's speed (default 20)")
    args = parser.parse_args(argv)
    scenarios = load_scenarios()
    started = time.perf_counter()
    with LocalSession(async_wait_seconds=0) as session:
        startup = time.perf_counter() - started
        timings, transcripts, failed = [], [], []
        for scenario in scenarios:
            began = time.perf_counter()
            transcript = run_scenario(session, scenario)
            timings.append((time.perf_counter() - began, scenario.id))
            transcripts.append(transcript)
            if check(scenario, transcript):
                failed.append(scenario.id)
        total = time.perf_counter() - started
        everything = actions_in(session.library)
        hit = reached(transcripts) & everything
        per_flow = report(session.library, transcripts).splitlines()[1:]
        loop_steps, interpreter_rate = interpreter_steps_per_second(session, args.interpreter_calls)
    seconds = [t for t, _ in timings]
    steps = sum(len(transcript.visited()) for transcript in transcripts)
    print(f"journeys: {len(scenarios)} scenarios in {total:.1f} s (start-up {startup:.2f} s); "
          f"per scenario median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")
    print(f"  simulator: {steps} steps in {sum(seconds):.1f} s of calls: {steps / sum(seconds):.0f} steps/s")
    print(f"  interpreter alone: {interpreter_rate:.0f} steps/s ({args.interpreter_calls} calls of {loop_steps} steps)")
    print("  slowest: " + ", ".join(f"{name} {t:.1f} s" for t, name in sorted(timings, reverse=True)[:args.slowest]))
    print(f"  actions covered: {len(hit)} of {len(everything)} in {len({f for f, _ in everything})} flows"
          + (f"; FAILED scenarios: {', '.join(failed)}" if failed else ""))
    print("\n".join(per_flow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
