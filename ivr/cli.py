"""Entry point of the `ivr` command.

Each subcommand lives in its own module with a `register(subparsers)` function that adds its
parser and sets `handler` (a callable taking the parsed args and returning an exit code).
Modules are imported only when their subcommand runs, so `ivr flows check` never pays for boto3.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from configuration.errors import ConfigError

# name -> (module, one-line help). The module is imported when the subcommand is used.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "flows": ("ivr.flows_cmd", "validate contact flows offline"),
    "call": ("ivr.call_cmd", "simulate a call through the contact flows"),
    "messages": ("ivr.messages_cmd", "edit holiday and emergency messages (no deploy needed)"),
    "loadtest": ("ivr.loadtest_cmd", "load-test the customer backend against the dips' time budget"),
    "instance-test": ("ivr.instance_test_cmd", "run the caller journeys as Connect test cases on the deployed instance"),
}


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2, nothing written."""


def key_value(option: str, text: str, form: str, *, value_required: bool = False) -> tuple[str, str]:
    """(KEY, VALUE) of an option's `KEY=VALUE` argument, split at the first "=" (the VALUE may hold
    more). A UsageError naming the option and `form` (the form with an example) when there is no
    "=" or no KEY, or no VALUE when `value_required`."""
    key, separator, value = text.partition("=")
    if not separator or not key or (value_required and not value):
        raise UsageError(f"{option} {text!r} must be {form}")
    return key, value


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivr",
        description="Tools for the Amazon Connect IVR: holiday and emergency messages, "
        "offline flow validation and a local call simulator.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        if name == selected:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    selected = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(selected if selected in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (UsageError, ConfigError) as error:  # ConfigError: cdk.json itself is wrong
        print(f"ivr {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`ivr call --json | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes at exit
        return 141


if __name__ == "__main__":
    sys.exit(main())
