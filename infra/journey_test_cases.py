"""The caller journeys as Connect test cases (issue 15): AWS::Connect::TestCase resources that
`ivr instance-test` runs on the instance after a deploy.

The documents come from `<flows.directory>/TEST_CASES_FILE`, which testkit/connect_test_cases.py
translates from tests/journeys/scenarios. Each is checked against the documented testing language
(`testing_language.check`) and its `{{placeholders}}` are filled with the app's queues and hours;
a journey the file says cannot be expressed is not deployed, and synth prints a warning naming it
and why. The flows' hours checks are answered by the always-open hours created here (for the
test cases only: no queue or flow uses them).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import Annotations, CfnOutput, Fn, Stack
from aws_cdk import aws_connect as connect
from constructs import Construct

from configuration.flows import TEST_CASES_FILE, WEEKDAYS
from configuration.model import IvrConfig
from configuration.runtime_values import JOURNEY_TEST_CASES_OUTPUT
from flow_language import placeholders
from flow_language.placeholders import placeholder
from infra.contact_flows import ContactFlows
from infra.errors import StopSynth
from infra.lambda_function import REPO_ROOT
from infra.testing_language import check

ALWAYS_OPEN_HOURS = "test_always_open"  # its placeholder subject, as testkit/connect_test_cases.py writes it


def journeys_file(config: IvrConfig) -> Path:
    directory = Path(config.flows.directory)
    return (directory if directory.is_absolute() else REPO_ROOT / directory) / TEST_CASES_FILE


class JourneyTestCases(Construct):
    """`.test_cases`: the CfnTestCase of each journey deployed, by journey id."""

    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig, flows: ContactFlows) -> None:
        super().__init__(scope, construct_id)
        self.test_cases: dict[str, connect.CfnTestCase] = {}
        path = journeys_file(config)
        if not path.is_file():
            Annotations.of(self).add_warning_v2("ivr:no-journey-test-cases", f"no {path.name}: no journey is deployed as a Connect test case")
            return
        translated: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        refused = {journey: case["not_deployed"] for journey, case in sorted(translated.items()) if "not_deployed" in case}
        if refused:
            # One line: every synth prints it, and the file holds each journey's reason.
            Annotations.of(self).add_warning_v2("ivr:journeys-not-test-cases", (
                f"{len(refused)} of {len(translated)} caller journeys are not deployed as Connect test cases (a test "
                f"on the instance would be weaker than the journey), e.g. {next(iter(refused))}: "
                f"{next(iter(refused.values()))}; each journey's reason is in "
                f"{path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}"))
        deployed = {journey: case for journey, case in sorted(translated.items()) if "content" in case}
        if not deployed:
            return
        always_open = connect.CfnHoursOfOperation(
            self, "AlwaysOpen", instance_arn=config.connect_instance.arn, name=f"ivr-{config.environment}-test-always-open",
            description="Connect test cases of the IVR: stands in for the opening hours so that a test finds the center open",
            time_zone=config.time_zone,
            config=[connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                day=day, start_time=_midnight(), end_time=_midnight()) for day in WEEKDAYS],
        )
        values = {
            **{placeholder("queue", name): arn for name, arn in flows.queue_arns.items()},
            **{placeholder("hours", name): arn for name, arn in flows.hours_arns.items()},
            placeholder("hours", ALWAYS_OPEN_HOURS): always_open.attr_hours_of_operation_arn,
        }
        for journey, case in deployed.items():
            self.test_cases[journey] = self._test_case(config, flows, journey, case, values)
        stack = Stack.of(self)
        output = CfnOutput(self, JOURNEY_TEST_CASES_OUTPUT, value=stack.to_json_string({j: c.attr_test_case_arn for j, c in self.test_cases.items()}),
                           description="The caller journeys deployed as Connect test cases (JSON): `ivr instance-test` runs them")
        output.override_logical_id(JOURNEY_TEST_CASES_OUTPUT)

    def _test_case(self, config: IvrConfig, flows: ContactFlows, journey: str, case: dict[str, Any],
                   values: dict[str, str]) -> connect.CfnTestCase:
        where = f"{TEST_CASES_FILE}: journey {journey}"
        problems = check(case["content"])
        if problems:
            raise StopSynth(f"{where} is not a valid Connect test case (regenerate it: python -m testkit.connect_test_cases):\n"
                            + "\n".join(problems))
        missing = sorted(placeholders.names_in(case["content"]) - set(values))
        flow = flows.flows.get(case["flow"])
        if missing or flow is None:
            raise StopSynth(f"{where} names what the app does not deploy: {missing or case['flow']}")
        return connect.CfnTestCase(
            self, f"Journey-{journey}", instance_arn=config.connect_instance.arn, name=f"ivr-{config.environment}-{journey}",
            description=case["description"], status="PUBLISHED",
            content=json.dumps(placeholders.fill(case["content"], values), separators=(",", ":")),
            entry_point=connect.CfnTestCase.EntryPointProperty(
                type="VOICE_CALL",
                # No SourcePhoneNumber: the resource's schema refuses every number (testkit/connect_test_cases.py).
                voice_call_entry_point_parameters=connect.CfnTestCase.VoiceCallEntryPointParametersProperty(
                    flow_id=Fn.select(3, Fn.split("/", flow.attr_contact_flow_arn))),
            ),
        )


def _midnight() -> connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty:
    return connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=0, minutes=0)
