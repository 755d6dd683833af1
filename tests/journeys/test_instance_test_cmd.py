"""`ivr instance-test` (issue 15): the journeys' Connect test cases run on the instance, with CloudFormation and
Connect behind botocore's Stubber (request shapes checked against the installed service models)."""
from __future__ import annotations

import json

import pytest

from configuration.runtime_values import JOURNEY_TEST_CASES_OUTPUT
from ivr import instance_test_cmd
from ivr.cli import main
from tests.stubbed_stack import StubbedStack

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
ARN = f"arn:aws:connect:us-east-1:111122223333:instance/{INSTANCE_ID}/test-case/"


class Aws(StubbedStack):
    def deployed(self, cases: dict[str, str] | None) -> None:
        """The stack, with these test cases in its output (None: a stack deployed before the output existed)."""
        self.stack({} if cases is None else {JOURNEY_TEST_CASES_OUTPUT: json.dumps(cases)})

    def start(self, test_case: str) -> None:
        self.stubs[1].add_response("start_test_case_execution", {"TestCaseExecutionId": f"run-{test_case}", "Status": "INITIATED"},
                                   {"InstanceId": INSTANCE_ID, "TestCaseId": test_case})

    def summary(self, test_case: str, status: str, passed: int = 0, total: int = 0) -> None:
        answer: dict = {"Status": status}
        if total:
            answer["ObservationSummary"] = {"TotalObservations": total, "ObservationsPassed": passed, "ObservationsFailed": total - passed}
        self.stubs[1].add_response("get_test_case_execution_summary", answer, {
            "InstanceId": INSTANCE_ID, "TestCaseId": test_case, "TestCaseExecutionId": f"run-{test_case}"})


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def aws(monkeypatch) -> Aws:
    stubbed = Aws()
    clock = Clock()
    stubbed.serve(monkeypatch)
    run = instance_test_cmd.run
    monkeypatch.setattr(instance_test_cmd, "run", lambda connect, config, cases: run(
        connect, config, cases, sleep=clock.sleep, clock=lambda: clock.now))
    return stubbed


def test_five_run_at_once_the_sixth_when_one_ends_and_a_failure_exits_1(aws, capsys):
    cases = {f"journey-{n}": f"{ARN}tc{n}" for n in range(6)}
    with aws:
        aws.deployed(cases)
        for n in range(5):
            aws.start(f"tc{n}")
        aws.summary("tc0", "PASSED", 7, 7)  # first poll: tc0 ends, the others still run
        for n in range(1, 5):
            aws.summary(f"tc{n}", "IN_PROGRESS")
        aws.start("tc5")
        aws.summary("tc1", "FAILED", 3, 7)
        for n in (2, 3, 4, 5):
            aws.summary(f"tc{n}", "PASSED", 5, 5)
        assert main(["instance-test"]) == 1
    out = capsys.readouterr().out
    assert "PASS  journey-0  PASSED (7 of 7 observations passed)" in out
    assert "FAIL  journey-1  FAILED (3 of 7 observations passed)" in out
    assert "5 of 6 journeys passed on the instance; failed: journey-1" in out


def test_a_test_connect_never_ends_is_given_up_after_its_limit(aws, capsys):
    with aws:
        aws.deployed({"slow": f"{ARN}tc-slow"})
        aws.start("tc-slow")
        polls = (instance_test_cmd.TEST_LIMIT_SECONDS + instance_test_cmd.MARGIN_SECONDS) // instance_test_cmd.POLL_SECONDS + 1
        for _ in range(polls):
            aws.summary("tc-slow", "IN_PROGRESS")
        assert main(["instance-test", "slow"]) == 1
    assert "FAIL  slow  TIMED OUT" in capsys.readouterr().out


def test_all_passed_exits_0(aws, capsys):
    with aws:
        aws.deployed({"a": f"{ARN}tca"})
        aws.start("tca")
        aws.summary("tca", "PASSED", 4, 4)
        assert main(["instance-test"]) == 0
    assert "1 of 1 journeys passed on the instance" in capsys.readouterr().out


def test_no_output_or_an_unknown_journey_is_a_usage_error(aws, capsys):
    with aws:
        aws.deployed(None)
        aws.deployed({"a": f"{ARN}tca"})
        assert main(["instance-test"]) == 2
        assert f"has no output {JOURNEY_TEST_CASES_OUTPUT}" in capsys.readouterr().err
        assert main(["instance-test", "nope"]) == 2
        assert "not deployed as a Connect test case: nope" in capsys.readouterr().err
