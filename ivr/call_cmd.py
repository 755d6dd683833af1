"""`ivr call FLOW`: place a simulated call through our flows, running the real Lambda code.

    ivr call main                                   # interactive: type the keys as you hear the prompts
    ivr call main --language es-US --keys "0"       # the Spanish variant of main (contact_flows/prompts/es-US.yaml)
    ivr call language_menu --keys "2 1 12345678#"   # the language menu, then Spanish
    ivr call main --keys "1 12345678#" --at 2026-12-25T10:00 --backend-fault timeout
    ivr call main --keys "0" --queue-wait 600 --json
    printf '1\n12345678#\n' | ivr call main          # piped: one answer per line, as --keys entries
    ivr call exported.json --data world.yaml --say "where is my order" --lambda-stub getOrder=order.json

Local AWS (moto) and the fake backend are started for the call and stopped after it. Exit code 0
when the call ends (transferred, disconnected, callback, hung up, a module returned), 1 when the
simulator had to stop it (a flow defect: a Type not in the flow language, undefined path, endless
loop), 2 for bad input.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ivr.cli import UsageError, key_value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "call", help="simulate a call through the contact flows",
        description="Simulate a call through contact_flows/ with the real Lambda code, local AWS (moto) "
        "and the fake backend. Without --keys it asks for keys as the prompts play at a terminal, and reads them "
        "from stdin otherwise (one answer per line, as --keys entries; an empty line = no key).")
    parser.add_argument("flow", nargs="?", help="flow to call: a stem of contact_flows/ (main), a module, or a flow file "
                        "path (default: where the phone number leads, the language menu when cdk.json lists several "
                        "languages, else flows.phone_number_flow)")
    parser.add_argument("--language", help="the contact's language ($.LanguageCode), e.g. es-US: the call runs the "
                        "flow's variant in it (its prompts from contact_flows/prompts/LANG.yaml); default the first of "
                        "cdk.json's languages")
    parser.add_argument("--keys", help='answers, one per prompt: "1 12345678#"; "-" = no key (timeout), "hangup" '
                        '(without it, piped stdin gives them one per line)')
    parser.add_argument("--say", action="append", default=[], metavar="SENTENCE",
                        help='what the caller says to a Lex bot, one per bot turn, in order; repeatable. '
                        'Key prompts take --keys and bots take --say, each from its own list; "-" = silence, "hangup"')
    parser.add_argument("--data", metavar="FILE.yaml", help="Lex bots (intents, utterances, slots), customer profiles "
                        "and cases for the call (YAML or JSON with sections bots, profiles, cases; see the README)")
    parser.add_argument("--lambda-stub", action="append", default=[], metavar="NAME=FILE.json",
                        help="answer for a Lambda that has no code in lambdas/: NAME is its function name, ARN or "
                        "placeholder, FILE.json the response it gives; repeatable")
    parser.add_argument("--at", help="simulated clock, ISO date-time (2026-12-25T10:00); without an offset it is "
                        "in the configured time zone; default now")
    parser.add_argument("--caller", default="+15555550123", help='calling number in E.164; "" for a withheld number')
    parser.add_argument("--channel", default="VOICE", choices=["VOICE", "CHAT"], type=str.upper,
                        help="the contact's channel ($.Channel); voice-only blocks take their error branch in a chat")
    parser.add_argument("--queue-wait", type=int, default=0, metavar="SECONDS", help="age of the oldest contact in queue")
    parser.add_argument("--queue-size", type=int, default=0, metavar="N", help="contacts waiting in queue")
    parser.add_argument("--expected-wait", type=int, metavar="SECONDS",
                        help="the queue's estimated wait the Get queue metrics block gives (default: none given)")
    parser.add_argument("--queue-position", type=int, metavar="N",
                        help="the caller's position in queue the Get queue metrics block gives, 1 = next (default: none)")
    parser.add_argument("--agents", type=int, default=1, metavar="N", help="agents available")
    parser.add_argument("--hold-rounds", type=int, default=1, metavar="N",
                        help="rounds of the customer queue flow before an agent answers (default 1)")
    parser.add_argument("--queue-full", action="store_true", help="transfers to queue fail with QueueAtCapacity")
    parser.add_argument("--fail-action", action="append", default=[], metavar="FLOW:ACTION",
                        help="make this block fail on Connect's side (takes its error branch); repeatable")
    parser.add_argument("--backend-fault", metavar="FAULT", help="fault of the fake backend: timeout, error_500, "
                        "malformed, latency, reset, ... (see fake_backend/server.py); NAME:/path limits it to "
                        "the paths under /path (timeout:/orders)")
    parser.add_argument("--messages", metavar="FILE.yaml", help="messages to load into the local messages table")
    parser.add_argument("--json", action="store_true", help="print the transcript as JSON")
    parser.add_argument("--trace", action="store_true", help="show every action the call runs")
    parser.add_argument("--flows-dir", default=None, help="folder of flows (default contact_flows/)")
    parser.add_argument("--aws-endpoint", help="use this AWS endpoint instead of starting moto")
    parser.add_argument("--backend-url", help="use this backend instead of starting the fake backend")
    parser.add_argument("--max-steps", type=int, metavar="N",
                        help="loop guard: most actions one call may run (default: the simulator's)")
    parser.set_defaults(handler=run)


def parse_at(value: str | None, time_zone: str) -> datetime:
    zone = ZoneInfo(time_zone)
    if not value:
        return datetime.now(zone).replace(second=0, microsecond=0)
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--at {value!r} is not an ISO date-time like 2026-12-25T10:00") from None
    return at.replace(tzinfo=zone) if at.tzinfo is None else at


def _piped_input() -> str:
    """All of stdin when it is not a terminal; "" when there is none or it cannot be read."""
    if sys.stdin is None:
        return ""
    try:
        return sys.stdin.read()
    except (OSError, ValueError):  # closed, or a stand-in that refuses reads (pytest's capture)
        return ""


def lambda_stubs(specs: list[str]) -> dict[str, Any]:
    """NAME=FILE.json entries as name -> the response each file holds."""
    stubs: dict[str, Any] = {}
    for spec in specs:
        name, path = key_value("--lambda-stub", spec, "NAME=FILE.json, like getCustomer=customer.json", value_required=True)
        try:
            stubs[name] = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"--lambda-stub {spec!r}: cannot read {path} ({error})") from None
        except json.JSONDecodeError as error:
            raise UsageError(f"--lambda-stub {spec!r}: {path} is not JSON ({error.msg} at line {error.lineno})") from None
    return stubs


def run(args: argparse.Namespace) -> int:
    from flow_language.translations import entry_flow
    from ivr.simulator import transcript as t
    from ivr.simulator.callers import BadKeys, InteractiveCaller, ScriptedCaller, keys_from_lines
    from ivr.simulator.engine import DEFAULT_MAX_STEPS, CallSettings
    from ivr.simulator.flows import FlowNotFound, FlowUnreadable
    from ivr.simulator.local_data import BadData, load_data
    from ivr.simulator.services import ServiceError
    from ivr.simulator.session import FLOWS_ROOT, LocalSession

    if args.caller and not args.caller.startswith("+"):
        raise UsageError(f"--caller {args.caller!r} must be in E.164, like +15555550123")
    at_terminal = sys.stdin is not None and sys.stdin.isatty()
    interactive = args.keys is None and at_terminal and not args.json
    caller: InteractiveCaller | ScriptedCaller
    try:
        if interactive:
            caller = InteractiveCaller()
        elif args.keys is None and not at_terminal:
            caller = ScriptedCaller(keys_from_lines(_piped_input()), said=args.say)
        else:
            caller = ScriptedCaller(args.keys, said=args.say)
    except BadKeys as error:
        raise UsageError(f"--keys: {error}" if args.keys is not None else str(error)) from None
    try:
        data = load_data(args.data)
    except BadData as error:
        raise UsageError(f"--data: {error}") from None
    session = LocalSession(args.flows_dir or FLOWS_ROOT, aws_endpoint=args.aws_endpoint, backend_url=args.backend_url,
                           data=data, lambda_stubs=lambda_stubs(args.lambda_stub))
    for named in args.fail_action:  # a misspelt block would silently fail nothing
        flow_name, _, action_id = named.partition(":")
        if not flow_name or not action_id:
            raise UsageError(f"--fail-action {named!r} must be FLOW:ACTION, like main:to-agent")
        try:
            actions = session.library.get(flow_name).actions
        except (FlowNotFound, FlowUnreadable) as error:
            raise UsageError(f"--fail-action {named!r}: {error}") from None
        if action_id not in actions:
            raise UsageError(f"--fail-action {named!r}: flow {flow_name!r} has no action {action_id!r}")
    config = session.services.config
    flow = args.flow or entry_flow(config.languages, config.flows.phone_number_flow)
    settings = CallSettings(
        at=parse_at(args.at, config.time_zone), caller=args.caller or None, language=args.language or config.default_language,
        queue_wait_seconds=args.queue_wait, queue_size=args.queue_size, agents_available=args.agents,
        expected_wait_seconds=args.expected_wait, queue_position=args.queue_position,
        queue_full=args.queue_full, max_steps=args.max_steps or DEFAULT_MAX_STEPS, fail_actions=frozenset(args.fail_action),
        hold_rounds=args.hold_rounds, channel=args.channel,
    )
    listener = None
    if interactive:
        print(f"Calling flow '{flow}' at {settings.at:%Y-%m-%d %H:%M %Z} (Ctrl-C or h to hang up)")

        def listener(event: t.Event) -> None:
            line = t.render_event(event, args.trace)
            if line is not None:
                print(line, flush=True)

    try:
        with session:
            transcript = session.call(flow, settings, caller, fault=args.backend_fault,
                                      messages=args.messages, listener=listener)
    except (FlowNotFound, FlowUnreadable, ServiceError) as error:
        raise UsageError(str(error)) from None
    if args.json:
        print(transcript.to_json())
    elif interactive and transcript.outcome is not None:
        print(t.render_outcome(transcript.outcome))
    else:
        print(t.render_text(transcript, trace=args.trace))
    return 1 if transcript.outcome is None or transcript.outcome.kind == t.STOPPED else 0
