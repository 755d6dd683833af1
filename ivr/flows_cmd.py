"""`ivr flows check [FILES...]`: validate contact flows offline, before CloudFormation sees them;
`ivr flows import FILE...`: bring console-built flows into contact_flows/ (ivr/flow_import.py).

Exit status of check: 0 when no errors (warnings allowed), 1 on errors (with --strict, on warnings
too), 2 on a usage error (a missing file, a directory given as a file). Of import: 0 when written,
2 when nothing could be (not a flow, the legacy format, a target that exists...).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from flow_language import RULES, FlowFileError, Problem, check_files, default_flow_files
from flow_language.files import FLOWS_FOLDER
from flow_language.validator import (
    FOLDER_RULE,
    FOLDER_RULE_SUMMARY,
    JSON_RULE,
    JSON_RULE_SUMMARY,
    TRANSFER_TARGET_RULE,
    TRANSFER_TARGET_RULE_SUMMARY,
)
from ivr import deployed_stack
from ivr.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "flows", help="validate contact flows offline, import console-built ones",
        description="Contact-flow tools. `ivr flows check` validates flow-language JSON offline; "
        "`ivr flows import` brings flows exported from the Connect console into contact_flows/.",
    )
    actions = parser.add_subparsers(dest="flows_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check", help="validate flow files against the flow language and the caller-experience rules",
        description="Validate Amazon Connect flow files offline (describe-contact-flow output and {Name, Type, "
        "Content} wrappers are checked as the flow they hold; a module is known by its content). Prints one line per problem, "
        "FILE:ACTION: error|warning: MESSAGE. Exit 0 without errors, 1 with errors "
        "(or warnings under --strict), 2 on a usage error.",
    )
    check.add_argument(
        "files", nargs="*", metavar="FILE", type=Path,
        help="flow files to check (default: every contact_flows/*.json and contact_flows/modules/*.json, "
        "checked as source files)",
    )
    check.add_argument("--strict", action="store_true",
                       help="report every warning as an error (our own flows must pass this)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text: one line per problem (default); json: one JSON object for tools")
    check.add_argument("--rendered", action="store_true",
                       help="the files are rendered flows, as deployed: every {{placeholder}} must be filled "
                       "and literal ARNs are expected (default: source files with placeholders)")
    check.add_argument("--dip-budget", action="append", default=[], type=_dip_budget, metavar="DIP=SECONDS",
                       help="a dip's time budget, keyed by its placeholder name or Lambda ARN "
                       "(e.g. order_status_lambda_arn=3.5): warns when the flow's InvocationTimeLimitSeconds "
                       "is not above it; repeatable. Only a limit written as a number is compared: in our "
                       "source flows it is a {{<dip>_time_limit}} placeholder that synth fills from the same "
                       "budget, so use it with --rendered flows or flows of your own")
    check.add_argument("--languages", type=_languages, metavar="LANG,LANG",
                       help="the deployment's languages, the default first, e.g. en-US,es-US: with several, every "
                       "prompt needs a text in each (contact_flows/prompts/LANG.yaml) and each language's variant of a "
                       "flow is checked too (default: cdk.json's languages, when run where cdk.json is)")
    check.add_argument("--list-rules", action="store_true",
                       help="print every rule (id, severity without --strict, summary) and exit")
    check.set_defaults(handler=run_check)
    survey = actions.add_parser(
        "survey", help="count how the validator and the simulator fare on a folder of anyone's flows",
        description="Check every flow file under the folders (*.json and extension-less console exports) and make one "
        "local call through each; print what was rejected or stopped and the totals. Exit 0 unless the usage is wrong.",
    )
    survey.add_argument("folders", nargs="+", metavar="DIR", type=Path, help="folders to search, recursively")
    survey.add_argument("--keys", default="1 1 1", help='the caller\'s keys for each call (default "1 1 1")')
    survey.add_argument("--at", help="simulated clock for the calls, ISO date-time (default now)")
    survey.add_argument("--no-simulate", action="store_true", help="only check the files")
    survey.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: problems and totals (default); json: every file's result")
    survey.set_defaults(handler=_run_survey)
    importing = actions.add_parser(
        "import", help="bring flows exported from the Connect console into contact_flows/, ARNs as placeholders",
        description="Write a flow exported from Amazon Connect (the designer's Export flow JSON, or `aws connect "
        "describe-contact-flow` / `describe-contact-flow-module` output) into contact_flows/ (a module into "
        "contact_flows/modules/), every instance-specific ARN and id replaced by a {{placeholder}}: those the app "
        "knows by its own names, the others listed with the cdk.json keys to add. Nothing is written unless filling "
        "the placeholders back gives the export's flow again. Exit 0 when written, 2 when nothing could be.",
    )
    importing.add_argument("files", nargs="+", metavar="FILE", type=Path, help="exported flow files")
    importing.add_argument("--name", help="the file name (stem) to write, for one FILE (default: the flow's name, "
                           "lowercase with underscores)")
    importing.add_argument("--flows-dir", type=Path, default=Path(FLOWS_FOLDER), metavar="DIR",
                           help=f"the folder of flows to write into (default: {FLOWS_FOLDER})")
    importing.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    importing.add_argument("--force", action="store_true", help="overwrite a file of that name")
    importing.set_defaults(handler=_run_import)
    drift = actions.add_parser(
        "drift", help="compare the deployed flows and modules with what the repository renders",
        description="Compare each deployed contact flow and module with what the repository renders for the "
        "environment (as synth does) and print a unified diff per flow that differs. The designer's layout "
        "(Metadata) is reported, not compared. Exit 0 in step, 1 on drift, 2 on a usage error or an unreadable stack. "
        "Uses the standard AWS credentials (--profile, --region).",
    )
    drift.add_argument("flows", nargs="*", metavar="FLOW", help="flow or module file names without .json (default: all)")
    deployed_stack.add_arguments(drift)
    drift.set_defaults(handler=_run_drift)


def run_check(args: argparse.Namespace) -> int:
    if args.list_rules:
        print(f"{JSON_RULE:32} {'error':8} {JSON_RULE_SUMMARY}")
        for rule in RULES:
            print(f"{rule.id:32} {rule.severity:8} {rule.summary}")
        print(f"{TRANSFER_TARGET_RULE:32} {'error':8} {TRANSFER_TARGET_RULE_SUMMARY}")
        print(f"{FOLDER_RULE:32} {'error':8} {FOLDER_RULE_SUMMARY}")
        return 0
    try:
        files = args.files or default_flow_files()
        problems = check_files(files, strict=args.strict, placeholders_allowed=not args.rendered,
                               dip_budgets_seconds=dict(args.dip_budget),
                               languages=args.languages if args.languages is not None else _configured_languages())
    except FlowFileError as error:
        raise UsageError(str(error)) from None
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if args.format == "json":
        print(json.dumps({
            "files": [str(path) for path in files], "errors": errors, "warnings": warnings,
            "problems": [problem.to_dict() for problem in problems],
        }, indent=2))
    else:
        _print_text(problems, len(files), errors, warnings)
    return 1 if errors else 0


def _run_survey(args: argparse.Namespace) -> int:
    from ivr.flows_survey import run

    return run(args)


def _run_drift(args: argparse.Namespace) -> int:
    from ivr.flows_drift import run_drift  # the configuration and AWS are needed only when comparing

    return run_drift(args)


def _run_import(args: argparse.Namespace) -> int:
    from ivr.flow_import import run_import  # the configuration is read only when importing

    return run_import(args)


def _print_text(problems: list[Problem], files: int, errors: int, warnings: int) -> None:
    for problem in problems:
        print(problem)
    summary = f"checked {files} flow file{'s' if files != 1 else ''}: {errors} error{'s' if errors != 1 else ''}, " \
              f"{warnings} warning{'s' if warnings != 1 else ''}"
    print(summary if files else "no flow files found in contact_flows/", file=sys.stderr)


def _configured_languages() -> tuple[str, ...]:
    """cdk.json's `languages` when run where cdk.json is (the repository root), else none. Read as
    JSON, not through the configuration: `ivr flows check` starts without pydantic; synth validates
    the codes themselves."""
    cdk_json = Path("cdk.json")
    if not cdk_json.is_file():
        return ()
    try:
        context = json.loads(cdk_json.read_text(encoding="utf-8")).get("context", {})
    except (ValueError, AttributeError) as error:
        raise UsageError(f"cdk.json: cannot be read ({error}); give the languages with --languages instead") from None
    languages = context.get("languages") if isinstance(context, dict) else None
    if languages is None:
        return ()  # the default, one language: nothing to translate
    if not isinstance(languages, list) or not all(isinstance(language, str) and language for language in languages):
        raise UsageError(f"cdk.json context 'languages' must be a list of language codes like [\"en-US\", \"es-US\"], "
                         f"got {languages!r}")
    return tuple(languages)


def _languages(text: str) -> tuple[str, ...]:
    languages = tuple(part.strip() for part in text.split(",") if part.strip())
    if not languages:
        raise argparse.ArgumentTypeError(f"expected language codes like en-US,es-US, got {text!r}")
    return languages


def _dip_budget(text: str) -> tuple[str, float]:
    dip, separator, seconds = text.rpartition("=")
    try:
        budget = float(seconds)
    except ValueError:
        budget = math.nan
    if not separator or not dip or not math.isfinite(budget) or budget <= 0:
        raise argparse.ArgumentTypeError(f"expected DIP=SECONDS with SECONDS above 0, got {text!r}")
    return dip, budget
