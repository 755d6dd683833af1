"""`ivr flows check`: output lines, exit codes 0/1/2, --strict, --format json, --list-rules."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flow_language import RULES
from ivr.cli import main
from tests.flows.builders import GOODBYE, flow, flow_with, lambda_invoke, message, reference_flow_paths

REPOSITORY = Path(__file__).resolve().parents[2]


def write(directory: Path, name: str, document) -> Path:
    path = directory / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(["flows", "check", *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


@pytest.fixture
def clean(tmp_path) -> Path:
    return write(tmp_path, "clean.json", flow_with(lambda_invoke()))


@pytest.fixture
def warned(tmp_path) -> Path:
    """A flow with one warning (an action nothing leads to) and no error."""
    return write(tmp_path, "warned.json", flow(*flow_with()["Actions"], message("orphan", next_action=GOODBYE)))


@pytest.fixture
def broken(tmp_path) -> Path:
    return write(tmp_path, "broken.json", flow_with(lambda_invoke(InvocationTimeLimitSeconds="9")))


def test_a_clean_flow_exits_0_and_prints_only_the_summary(capsys, clean):
    assert run(capsys, str(clean)) == (0, [], ["checked 1 flow file: 0 errors, 0 warnings"])


def test_warnings_print_one_line_each_and_exit_0(capsys, warned):
    code, out, err = run(capsys, str(warned))
    assert code == 0
    assert out == [f"{warned}:orphan: warning: no path from StartAction leads to this action; connect it or delete it"]
    assert err == ["checked 1 flow file: 0 errors, 1 warning"]


def test_strict_makes_warnings_errors_and_exits_1(capsys, warned):
    code, out, _ = run(capsys, "--strict", str(warned))
    assert code == 1
    assert out == [f"{warned}:orphan: error: no path from StartAction leads to this action; connect it or delete it"]


def test_errors_exit_1(capsys, broken, clean):
    code, out, err = run(capsys, str(clean), str(broken))
    assert code == 1
    assert out == [f"{broken}:lookup: error: InvocationTimeLimitSeconds must be a whole number of seconds from 1 to 8 "
                   'for a synchronous call, not "9"']
    assert err == ["checked 2 flow files: 1 error, 0 warnings"]


def test_corrupt_json_is_one_error_line(capsys, tmp_path):
    path = write(tmp_path, "corrupt.json", '{"Version": "2019-10-30",')
    code, out, _ = run(capsys, str(path))
    assert (code, out) == (1, [f"{path}:-: error: not valid JSON: Expecting property name enclosed in double quotes "
                               "at line 1 column 26"])


def test_json_format(capsys, warned, broken):
    code = main(["flows", "check", "--format", "json", str(warned), str(broken)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["files"] == [str(warned), str(broken)]
    assert (report["errors"], report["warnings"]) == (1, 1)
    assert report["problems"] == [
        {"file": str(broken), "action": "lookup", "severity": "error", "rule": "lambda-time-limit",
         "message": 'InvocationTimeLimitSeconds must be a whole number of seconds from 1 to 8 for a synchronous call, '
                    'not "9"'},
        {"file": str(warned), "action": "orphan", "severity": "warning", "rule": "unreachable",
         "message": "no path from StartAction leads to this action; connect it or delete it"},
    ]


def test_a_missing_file_is_one_line_and_exit_2_before_anything_is_checked(capsys, tmp_path, broken):
    missing = tmp_path / "missing.json"
    assert run(capsys, str(broken), str(missing)) == (2, [], [f"ivr flows: error: {missing}: no such file"])


def test_a_directory_is_a_usage_error(capsys, tmp_path):
    assert run(capsys, str(tmp_path)) == (2, [], [f"ivr flows: error: {tmp_path}: is a directory, not a flow file"])


def test_without_files_it_needs_contact_flows(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys)
    assert (code, out) == (2, [])
    assert err == [f"ivr flows: error: no contact_flows/ directory in {tmp_path.resolve()}: run from the repository "
                   "root or name the flow files"]


def test_without_files_it_checks_contact_flows_and_modules(capsys, tmp_path, monkeypatch, clean):
    (tmp_path / "contact_flows" / "modules").mkdir(parents=True)
    write(tmp_path / "contact_flows", "main.json", json.loads(clean.read_text()))
    write(tmp_path / "contact_flows" / "modules", "lookup.json", flow_with(lambda_invoke(InvocationTimeLimitSeconds="9")))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys)
    assert code == 1
    assert [line.split(":")[0] for line in out] == ["contact_flows/modules/lookup.json"]
    assert err == ["checked 2 flow files: 1 error, 0 warnings"]


RETURNING = flow({"Identifier": "hello", "Type": "MessageParticipant", "Parameters": {"Text": "Hello."},
                  "Transitions": {"NextAction": "back", "Errors": []}},
                 {"Identifier": "back", "Type": "EndFlowModuleExecution", "Parameters": {}, "Transitions": {}})


def test_a_module_is_recognised_by_its_content_wherever_it_lies(capsys, tmp_path):
    (tmp_path / "modules").mkdir()
    in_modules = write(tmp_path / "modules", "greeting.json", RETURNING)
    elsewhere = write(tmp_path, "greeting.json", RETURNING)
    with_settings = write(tmp_path, "with_settings.json", {**flow_with(), "Settings": {"InputParameters": []}})
    code, out, err = run(capsys, str(in_modules), str(elsewhere), str(with_settings))
    assert (code, [line for line in out if ": error: " in line]) == (0, [])
    assert err[0].startswith("checked 3 flow files: 0 errors")


def test_in_contact_flows_a_module_among_the_flows_is_one_clear_error(capsys, tmp_path):
    flows = tmp_path / "contact_flows"
    (flows / "modules").mkdir(parents=True)
    misplaced = write(flows, "greeting.json", RETURNING)
    a_flow_among_modules = write(flows / "modules", "main.json", {**flow_with(), "Metadata": {"type": "contactFlow"}})
    code, out, _ = run(capsys, str(misplaced), str(a_flow_among_modules))
    assert code == 1
    assert [line for line in out if ": error: " in line] == [
        f"{misplaced}:-: error: {misplaced} is a flow module (it returns with EndFlowModuleExecution) but lies among the "
        f"flows: move it to {flows / 'modules'}/, where modules are deployed as AWS::Connect::ContactFlowModule",
        f"{a_flow_among_modules}:-: error: {a_flow_among_modules} is a flow, not a module (its Metadata.type is contactFlow), "
        f"but lies in {flows / 'modules'}/: move it to {flows}/, where flows are deployed as AWS::Connect::ContactFlow",
    ]


def test_a_transfer_to_one_of_the_flows_checked_must_go_to_a_type_connect_transfers_to(capsys, tmp_path):
    transfer = {"Identifier": "to-queue-flow", "Type": "TransferToFlow", "Parameters": {"ContactFlowId": "{{waiting_flow_arn}}"},
                "Transitions": {"NextAction": GOODBYE, "Errors": [{"ErrorType": "NoMatchingError", "NextAction": GOODBYE}]}}
    main = write(tmp_path, "main.json", flow_with(transfer))
    waiting = flow_with()
    waiting["Metadata"]["type"] = "customerQueue"
    write(tmp_path, "waiting.json", waiting)
    code, out, _ = run(capsys, str(main), str(tmp_path / "waiting.json"))
    assert code == 1
    assert out == [f"{main}:to-queue-flow: error: TransferToFlow goes to waiting, a flow of type customerQueue; Connect "
                   "transfers only to agentTransfer, contactFlow or queueTransfer flows (any other takes the error branch)"]


def test_the_transfer_check_leaves_malformed_flows_to_the_other_rules():
    from flow_language import check_transfer_targets

    broken = {Path("a.json"): {"Metadata": {"type": ["customerQueue"]}, "Actions": ["x", {"Type": "TransferToFlow"},
                                                                              {"Type": "TransferToFlow", "Parameters": []}]},
              Path("b.json"): {"Metadata": [], "Actions": {"not": "a list"}},
              Path("c.json"): {"Actions": [{"Type": "TransferToFlow", "Parameters": {"ContactFlowId": "{{a_flow_arn}}"}}]}}
    assert check_transfer_targets(broken) == []


def test_rendered_flows_must_have_every_placeholder_filled(capsys, clean):
    code, out, _ = run(capsys, "--rendered", str(clean))
    assert code == 1
    assert out == [f"{clean}:lookup: error: placeholder {{{{order_status_lambda_arn}}}} in Parameters.LambdaFunctionARN "
                   "was not filled: the deploy mapping has no value for order_status_lambda_arn"]


def test_dip_budget_option(capsys, clean):
    code, out, _ = run(capsys, "--strict", "--dip-budget", "order_status_lambda_arn=8", str(clean))
    assert code == 1
    assert out == [f'{clean}:lookup: error: InvocationTimeLimitSeconds is 8 s but the "order_status_lambda_arn" dip may '
                   "take 8 s (its budget): Connect gives up before the dip answers; set the limit above the budget (DD-5)"]


@pytest.mark.parametrize("argv", [["--dip-budget", "order_status=soon"], ["--format", "xml"], ["--no-such-option"]])
def test_bad_options_exit_2(capsys, clean, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["flows", "check", *argv, str(clean)])
    assert exit_.value.code == 2


def test_list_rules(capsys):
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0
    assert [line.split()[0] for line in out] == ["json", *(rule.id for rule in RULES), "transfer-target", "flow-folder"]
    assert out[1].split()[:2] == [RULES[0].id, RULES[0].severity]


def test_the_installed_command_checks_the_reference_flows():
    paths = [str(path) for path in reference_flow_paths()]
    result = subprocess.run([sys.executable, "-m", "ivr", "flows", "check", *paths], cwd=REPOSITORY,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    assert result.stderr.startswith(f"checked {len(paths)} flow files: 0 errors, ")
    assert all(": warning: " in line for line in result.stdout.splitlines())
