"""Caller journeys: time of the whole scenario suite through the simulator, and path coverage.

Runs every scenario of tests/journeys/scenarios/ once in one local session (one moto server and
one fake backend, started once), as the journey tests do, and prints the start-up time, the
total and per-scenario times (the slowest ones named) and the actions the scenarios reach out of
the actions in our flows.
"""
from __future__ import annotations

import statistics
import sys
import time

from benchmarks._measure import arguments, count
from ivr.simulator.session import LocalSession
from testkit.journey_coverage import actions_in, reached, report
from testkit.journeys import check, load_scenarios, run_scenario


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_journeys", __doc__)
    parser.add_argument("--slowest", type=count, default=3, help="how many of the slowest scenarios to name (default 3)")
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
    seconds = [t for t, _ in timings]
    print(f"journeys: {len(scenarios)} scenarios in {total:.1f} s (start-up {startup:.2f} s); "
          f"per scenario median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")
    print("  slowest: " + ", ".join(f"{name} {t:.1f} s" for t, name in sorted(timings, reverse=True)[:args.slowest]))
    print(f"  actions covered: {len(hit)} of {len(everything)} in {len({f for f, _ in everything})} flows"
          + (f"; FAILED scenarios: {', '.join(failed)}" if failed else ""))
    print("\n".join(per_flow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
