"""`ivr instance-test [JOURNEY...]`: after a deploy, run the caller journeys deployed as Connect test
cases on the instance itself, for a person or a pipeline.

It finds them by the stack output JOURNEY_TEST_CASES_OUTPUT, keeps at most MAX_RUNNING executions
going (Connect runs 5 at once and queues the rest) and starts the next as one ends, asks each for
its summary every POLL_SECONDS, and gives one up as TIMED OUT when Connect has not ended it
TEST_LIMIT_SECONDS (Connect's 5 minutes per test) plus a margin after it started. One line per
journey: PASS or FAIL with the status and the observations passed. Exit 0 when all passed, 1 when
one did not, 2 on a usage error or when the stack cannot be read.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from configuration.model import IvrConfig
from configuration.runtime_values import JOURNEY_TEST_CASES_OUTPUT
from ivr import deployed_stack
from ivr.cli import UsageError

MAX_RUNNING = 5
TEST_LIMIT_SECONDS = 300
MARGIN_SECONDS = 60
POLL_SECONDS = 10
ENDED = ("PASSED", "FAILED", "STOPPED")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "instance-test", help="run the caller journeys as Connect test cases on the deployed instance",
        description="Run the caller journeys deployed as Amazon Connect test cases (stack output "
        f"{JOURNEY_TEST_CASES_OUTPUT}) on the instance, {MAX_RUNNING} at a time, and print PASS or FAIL per journey. "
        "Exit 0 all passed, 1 one failed or timed out, 2 on a usage error. Uses the standard AWS credentials.",
    )
    parser.add_argument("journeys", nargs="*", metavar="JOURNEY", help="journey ids (default: every one deployed)")
    deployed_stack.add_arguments(parser)
    parser.set_defaults(handler=run_instance_test)


@dataclass(frozen=True)
class Result:
    journey: str
    status: str  # PASSED | FAILED | STOPPED | TIMED OUT
    observations: str = ""  # "5 of 7 observations passed", when Connect says

    @property
    def passed(self) -> bool:
        return self.status == "PASSED"


def run_instance_test(args: argparse.Namespace) -> int:
    config = deployed_stack.configuration(args)
    cloudformation, connect = deployed_stack.clients(args.profile, args.region or config.connect_instance.region)
    stack = deployed_stack.stack_name(args, config)
    deployed = deployed_stack.json_output(cloudformation, stack, JOURNEY_TEST_CASES_OUTPUT, missing=(
        "no journey is deployed as a Connect test case (see the warning of `make synth`), or the stack predates them: deploy first"))
    cases = _selected(deployed, args.journeys)
    results = run(connect, config, cases)
    for result in results:
        detail = f" ({result.observations})" if result.observations else ""
        print(f"{'PASS' if result.passed else 'FAIL'}  {result.journey}  {result.status}{detail}")
    failed = [r.journey for r in results if not r.passed]
    print(f"\n{len(results) - len(failed)} of {len(results)} journeys passed on the instance"
          + (f"; failed: {', '.join(failed)} (the executions are in the Connect console, Test cases)" if failed else ""))
    return 1 if failed else 0


def run(connect: Any, config: IvrConfig, cases: dict[str, str], *, sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic) -> list[Result]:
    """Runs every test case (journey -> ARN), MAX_RUNNING at a time; the results in the order given."""
    from botocore.exceptions import BotoCoreError, ClientError

    instance = config.connect_instance.instance_id
    waiting = list(cases.items())
    running: dict[str, tuple[str, str, float]] = {}  # journey -> (test case id, execution id, started)
    done: dict[str, Result] = {}
    try:
        while waiting or running:
            while waiting and len(running) < MAX_RUNNING:
                journey, arn = waiting.pop(0)
                test_case = arn.rsplit("/", 1)[-1]
                execution = connect.start_test_case_execution(InstanceId=instance, TestCaseId=test_case)["TestCaseExecutionId"]
                running[journey] = (test_case, execution, clock())
            sleep(POLL_SECONDS)
            for journey, (test_case, execution, started) in list(running.items()):
                summary = connect.get_test_case_execution_summary(
                    InstanceId=instance, TestCaseId=test_case, TestCaseExecutionId=execution)
                if summary["Status"] in ENDED:
                    done[journey] = Result(journey, summary["Status"], _observations(summary))
                elif clock() - started > TEST_LIMIT_SECONDS + MARGIN_SECONDS:
                    done[journey] = Result(journey, "TIMED OUT", _observations(summary))
                else:
                    continue
                del running[journey]
    except (BotoCoreError, ClientError) as problem:
        raise UsageError(f"Connect refused to run the test cases: {problem}") from None
    return [done[journey] for journey in cases]


def _observations(summary: dict[str, Any]) -> str:
    counts = summary.get("ObservationSummary") or {}
    if "TotalObservations" not in counts:
        return ""
    return f"{counts.get('ObservationsPassed', 0)} of {counts['TotalObservations']} observations passed"


def _selected(cases: dict[str, str], journeys: list[str]) -> dict[str, str]:
    unknown = sorted(set(journeys) - set(cases))
    if unknown:
        raise UsageError(f"not deployed as a Connect test case: {', '.join(unknown)}; deployed: {', '.join(sorted(cases))}")
    return {journey: cases[journey] for journey in journeys} if journeys else cases
