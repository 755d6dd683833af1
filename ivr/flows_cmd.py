"""`ivr flows check [FILES...]`: validate contact flows offline, before CloudFormation sees them.

Exit status: 0 when no errors (warnings allowed), 1 on errors (with --strict, on warnings too),
2 on a usage error (a missing file, a directory given as a file).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from flow_language import RULES, FlowFileError, Problem, check_files, default_flow_files
from flow_language.validator import JSON_RULE, JSON_RULE_SUMMARY, TRANSFER_TARGET_RULE, TRANSFER_TARGET_RULE_SUMMARY
from ivr import flows_drift
from ivr.cli import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "flows", help="validate contact flows offline",
        description="Contact-flow tools. `ivr flows check` validates flow-language JSON offline.",
    )
    actions = parser.add_subparsers(dest="flows_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check", help="validate flow files against the flow language and the caller-experience rules",
        description="Validate Amazon Connect flow files offline. Prints one line per problem, "
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
    check.add_argument("--list-rules", action="store_true",
                       help="print every rule (id, severity without --strict, summary) and exit")
    check.set_defaults(handler=run_check)
    flows_drift.register(actions)  # `ivr flows drift`


def run_check(args: argparse.Namespace) -> int:
    if args.list_rules:
        print(f"{JSON_RULE:32} {'error':8} {JSON_RULE_SUMMARY}")
        for rule in RULES:
            print(f"{rule.id:32} {rule.severity:8} {rule.summary}")
        print(f"{TRANSFER_TARGET_RULE:32} {'error':8} {TRANSFER_TARGET_RULE_SUMMARY}")
        return 0
    try:
        files = args.files or default_flow_files()
        problems = check_files(files, strict=args.strict, placeholders_allowed=not args.rendered,
                               dip_budgets_seconds=dict(args.dip_budget))
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


def _print_text(problems: list[Problem], files: int, errors: int, warnings: int) -> None:
    for problem in problems:
        print(problem)
    summary = f"checked {files} flow file{'s' if files != 1 else ''}: {errors} error{'s' if errors != 1 else ''}, " \
              f"{warnings} warning{'s' if warnings != 1 else ''}"
    print(summary if files else "no flow files found in contact_flows/", file=sys.stderr)


def _dip_budget(text: str) -> tuple[str, float]:
    dip, separator, seconds = text.rpartition("=")
    try:
        budget = float(seconds)
    except ValueError:
        budget = math.nan
    if not separator or not dip or not math.isfinite(budget) or budget <= 0:
        raise argparse.ArgumentTypeError(f"expected DIP=SECONDS with SECONDS above 0, got {text!r}")
    return dip, budget
