"""The caller journeys deployed as Connect test cases (issue 15): one AWS::Connect::TestCase per journey the
translation could express, filled with the app's resources; the others named in a synth warning."""
from __future__ import annotations

import json

from configuration.runtime_values import JOURNEY_TEST_CASES_OUTPUT
from infra.testing_language import check
from testkit.connect_test_cases import JOURNEYS_FILE
from testkit.template_reading import of_type, properties_of_type

TRANSLATED = json.loads(JOURNEYS_FILE.read_text(encoding="utf-8"))
DEPLOYED = {journey: case for journey, case in TRANSLATED.items() if "content" in case}


def _resolved(value) -> str:
    """The content with each CloudFormation token shown as TOKEN(<logical id>)."""
    if isinstance(value, str):
        return value
    parts = value["Fn::Join"][1]
    return "".join(p if isinstance(p, str) else f"TOKEN({(p.get('Fn::GetAtt') or [p.get('Ref')])[0]})" for p in parts)


def test_each_expressible_journey_is_a_published_test_case_entering_its_flow(template_json):
    cases = {c["Name"]: c for c in properties_of_type(template_json, "AWS::Connect::TestCase").values()}
    assert set(cases) == {f"ivr-dev-{journey}" for journey in DEPLOYED}
    flows = {f["Name"]: key for key, f in properties_of_type(template_json, "AWS::Connect::ContactFlow").items()}
    for journey, case in DEPLOYED.items():
        deployed = cases[f"ivr-dev-{journey}"]
        assert deployed["Status"] == "PUBLISHED" and deployed["Description"] == case["description"]
        entry = deployed["EntryPoint"]
        assert entry["Type"] == "VOICE_CALL"
        flow_id = entry["VoiceCallEntryPointParameters"]["FlowId"]
        assert flows[f"ivr-dev-{case['flow']}"] in json.dumps(flow_id)
        content = _resolved(deployed["Content"])
        assert "{{" not in content
        assert check(json.loads(content)) == []


def test_the_hours_checks_are_answered_by_hours_that_are_always_open(template_json):
    [(key, hours)] = [(k, h) for k, h in properties_of_type(template_json, "AWS::Connect::HoursOfOperation").items()
                      if h["Name"] == "ivr-dev-test-always-open"]
    assert len(hours["Config"]) == 7
    assert all(c["StartTime"] == c["EndTime"] == {"Hours": 0, "Minutes": 0} for c in hours["Config"])
    content = _resolved(properties_of_type(template_json, "AWS::Connect::TestCase")[next(iter(of_type(template_json, "AWS::Connect::TestCase")))]["Content"])
    assert f"TOKEN({key})" in content
    # No queue or flow of the app uses them.
    for queue in properties_of_type(template_json, "AWS::Connect::Queue").values():
        assert key not in json.dumps(queue)


def test_ivr_instance_test_finds_them_in_a_stack_output(template_json):
    value = _resolved(template_json["Outputs"][JOURNEY_TEST_CASES_OUTPUT]["Value"])
    assert all(f'"{journey}":' in value for journey in DEPLOYED)


def test_synth_says_in_one_line_how_many_journeys_it_does_not_deploy_and_where_each_reason_is(synthesized_app):
    assembly, stack = synthesized_app
    warnings = [m.entry.data for m in assembly.get_stack_by_name(stack.stack_name).messages if str(m.level).endswith("WARNING")]
    [warning] = [w for w in warnings if "Connect test cases" in w]
    assert "\n" not in warning  # every synth prints it: one line, not one per journey
    assert f"{len(TRANSLATED) - len(DEPLOYED)} of {len(TRANSLATED)} caller journeys" in warning
    first = next(journey for journey, case in TRANSLATED.items() if "not_deployed" in case)
    assert f"e.g. {first}: {TRANSLATED[first]['not_deployed']}" in warning
    assert "each journey's reason is in contact_flows/test_cases/journeys.json" in warning
