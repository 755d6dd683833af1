"""`ivr messages ...`: operators edit holiday and emergency messages without a deploy (MSG-3, MSG-4).

The table comes from --table or IVR_MESSAGES_TABLE (stack output MessagesTableName); AWS
credentials, region and profile follow the standard chain (--profile / --region override), and
AWS_ENDPOINT_URL is honored (moto, DynamoDB Local; `ivr messages local` starts one). Exit status:
0 done, 1 AWS failure (after a lost answer to a write, what reading back found), 2 bad input or a
risky edit without --yes (nothing written), 3 someone else changed the message meanwhile (nothing
written). Every error is one line on stderr.

Times, what plays, guard rails and the store with its history live in `lambdas/messages_editing/`
(shared with the operators' page API), the bounded AWS clients in `ivr/messages/aws.py`; this
module parses the command line and says what happened.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ivr.cli import UsageError, key_value
from ivr.messages import aws
from ivr.messages.center import load_center
from lambdas.closure_check.model import KINDS, Message, MessageError, Window, normalize_scope, utc_now, validate
from lambdas.closure_check.reopening import opening_hours
from lambdas.closure_check.selection import answer, choose
from lambdas.common.responses import flat_response
from lambdas.messages_editing import guards, plays
from lambdas.messages_editing.documents import describe_change, load_file, to_document
from lambdas.messages_editing.store import Change, ConflictError, MessageStore, WriteFailed
from lambdas.messages_editing.times import instant, window

TABLE_ENV = "IVR_MESSAGES_TABLE"
OPERATOR_ENV = "IVR_OPERATOR"
LOCAL_PORT = 5050
SERVE_PORT = 8787  # `ivr messages local`: a fixed default, so the printed environment stays the same between runs
RECENT_MINUTES = 15  # another identity's change this recent may be one the operator has not seen
EXIT_AWS_ERROR, EXIT_CONFLICT = 1, 3


def _table_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """--table, --profile, --region, --by; after the action they override what came before it."""
    def default(value):
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--table", default=default(os.environ.get(TABLE_ENV)), help=f"the messages table name (default: ${TABLE_ENV})")
    parser.add_argument("--profile", default=default(None), help="AWS profile (default: the standard credential chain)")
    parser.add_argument("--region", default=default(None), help="AWS region (default: AWS_DEFAULT_REGION or the profile's region)")
    parser.add_argument("--by", default=default(os.environ.get(OPERATOR_ENV)), metavar="NOTE",
                        help=f"a note kept in history with the change, like your name or a ticket (default: ${OPERATOR_ENV}); "
                        "who made it is always the identity of your AWS credentials")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "messages", help="edit holiday and emergency messages (no deploy needed)",
        description="Edit holiday and emergency messages without a deploy. Table: --table or $IVR_MESSAGES_TABLE; "
        "AWS credentials, region and profile from the standard chain; AWS_ENDPOINT_URL honored (`ivr messages local` "
        "starts a local table). Exit 0 done, 1 AWS failure (saying what reading back found), 2 bad input or a warned "
        "edit without --yes (nothing written), 3 changed by someone else meanwhile (nothing written).",
    )
    _table_options(parser, defaults=True)
    # The same options are accepted after the action too (`ivr messages list --table T`).
    common = argparse.ArgumentParser(add_help=False)
    _table_options(common, defaults=False)
    actions = parser.add_subparsers(dest="messages_command", metavar="ACTION")
    actions.required = True

    actions.add_parser("list", parents=[common], help="list every message", description="List every message: id, scope, kind, effect, state, window.") \
        .set_defaults(handler=run_list)
    show = actions.add_parser("show", parents=[common], help="print one message as YAML", description="Print one message as YAML, with its version.")
    show.add_argument("id")
    show.set_defaults(handler=run_show)

    add = actions.add_parser("add", parents=[common], help="add a message", description="Add a message. Refused if the id exists.")
    add.add_argument("id", help="lowercase letters, digits and dashes, e.g. christmas-day")
    _content_options(add, required=True)
    _yes_option(add)
    add.set_defaults(handler=run_add)
    update = actions.add_parser("update", parents=[common], help="change a message",
                                description="Change the given fields of a message; the rest stays. Refused if someone else "
                                "changed it since --expected-version (or since it was read).")
    update.add_argument("id")
    _content_options(update, required=False)
    _version_option(update)
    _yes_option(update)
    update.set_defaults(handler=run_update)
    for name, text in (("enable", "start playing a message (inside its window)"), ("disable", "stop playing a message"),
                       ("delete", "delete a message (its history stays)")):
        action = actions.add_parser(name, parents=[common], help=text, description=text[0].upper() + text[1:] + ".")
        action.add_argument("id")
        _version_option(action)
        _yes_option(action)
        action.set_defaults(handler=run_state, action=name.upper())

    restore = actions.add_parser("restore", parents=[common], help="bring back a deleted message or an earlier version",
                                 description="Bring back a message as it was at a version of its history (default: the "
                                 "version before the last change, which undoes it; for a deleted message, as it was when "
                                 "deleted). The restore is a change like any other: a new version, kept in history.")
    restore.add_argument("id")
    restore.add_argument("--version", type=int, metavar="N", help="the version to bring back (see `ivr messages history ID`)")
    _yes_option(restore)
    restore.set_defaults(handler=run_restore)

    history = actions.add_parser("history", parents=[common], help="list changes: who, when, what",
                                 description="List the changes of one message, or of all, oldest first: who, when, and what changed.")
    history.add_argument("id", nargs="?")
    history.set_defaults(handler=run_history)

    preview = actions.add_parser("preview", parents=[common], help="what a caller would hear at a given time",
                                 description="Say exactly what the closure check would answer a caller at --at (the same "
                                 "selection code as the Lambda), from the table's current messages.")
    preview.add_argument("--at", default="now", help="now (default), +1h / +30m / +1d from now, or a local time in the center's "
                         "time zone (2026-12-25T09:00), or with an offset / Z")
    preview.add_argument("--queue", default="", help="the caller's queue name, at call start")
    preview.add_argument("--flow", default="", help="the flow asking at call start (e.g. main)")
    preview.add_argument("--scope", help="the stage to ask for, as the flows do: center (call start), flow:NAME (call start in that "
                         "flow, with --queue), queue:NAME (once the call has that queue: only its messages, as agent_transfer asks)")
    preview.add_argument("--language", help="the caller's language (default: the first of cdk.json languages)")
    preview.add_argument("--time-zone", help="the center's time zone (default: cdk.json time_zone)")
    preview.set_defaults(handler=run_preview)

    local = actions.add_parser("local", help="start a local messages table to try all this on a laptop",
                               description="Start a local DynamoDB (moto's server) holding the messages table with the seed "
                               "messages, print the environment that points `ivr messages` and `ivr call` at it, and serve "
                               "until Ctrl-C. The table lives in memory: stopping forgets it.")
    local.add_argument("--port", type=int, default=LOCAL_PORT, help=f"loopback port (default {LOCAL_PORT}; 0 for any free port)")
    local.set_defaults(handler=run_local)

    serve = actions.add_parser("serve", parents=[common], help="the operators' page and its API on this machine",
                               description="Serve the operators' page (operators_page/) and its API (the API Lambda's own code) on "
                               "127.0.0.1, against the messages table (--table or $IVR_MESSAGES_TABLE, e.g. the one of `ivr messages "
                               "local`), or, with no table given, a local DynamoDB of its own holding the seed messages. Signing in "
                               "is a local stand-in for Cognito: any name, as editor or viewer. Serves until Ctrl-C.")
    serve.add_argument("--port", type=int, default=SERVE_PORT, help=f"loopback port (default {SERVE_PORT}; 0 for any free port)")
    serve.set_defaults(handler=run_serve)

    apply = actions.add_parser("apply", parents=[common], help="make the table match a YAML file (shows a diff)",
                               description="Add and update the messages of a YAML file (format: lambdas/messages_editing/documents.py) in one "
                               "transaction, after printing the diff. Messages not in the file stay unless --prune.")
    apply.add_argument("file", metavar="FILE.yaml")
    apply.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    apply.add_argument("--prune", action="store_true", help="also delete messages that are not in the file")
    _yes_option(apply)
    apply.set_defaults(handler=run_apply)


def _content_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--scope", required=required, help="center | queue:<queue name in Connect, e.g. ivr-dev-billing> | flow:<flow name>")
    parser.add_argument("--kind", required=required, type=str.upper, choices=KINDS)
    parser.add_argument("--effect", required=required, type=str.upper, choices=("CLOSE", "ANNOUNCE"),
                        help="CLOSE: play, then after-hours handling; ANNOUNCE: play, then continue")
    parser.add_argument("--text", action="append", required=required, metavar="LANGUAGE=TEXT",
                        help="text (or SSML starting with <speak>) in one language, e.g. en-US='We are closed today.'; repeatable")
    parser.add_argument("--start", help="now, +30m / +2h / +1d from now, a local date-time (2026-12-24T14:00), "
                        "MM-DD (yearly) or YYYY-MM-DD (whole days)")
    parser.add_argument("--end", help="end time (excluded): +2h / +30m / +1d from the start, or a local date-time; "
                        "for whole days the last day (included)")
    parser.add_argument("--time-zone", help="IANA time zone of --start/--end (default: the center's, cdk.json time_zone)")
    if not required:
        parser.add_argument("--always", action="store_true", help="remove the window: play until disabled")
    parser.add_argument("--priority", type=int, help="higher wins among messages of the same kind (default 0)")
    parser.add_argument("--disabled", action="store_true", help="store it without playing it" if required else argparse.SUPPRESS)


def _version_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--expected-version", type=int, metavar="N",
                        help="the version you looked at (as `show` and `list` print it): if someone changed the message since, "
                        "show what this edit would replace and refuse without --yes")


def _yes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", action="store_true",
                        help="write even when warned (a window that is over, a closure with no end, a queue, flow or language "
                        "the app does not have, a change someone else made since --expected-version); without it such an "
                        "edit asks at a terminal and is refused otherwise")


# --- Handlers ---------------------------------------------------------------------------------


def _guarded(run):
    def wrapper(args: argparse.Namespace) -> int:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return run(args)
        except MessageError as problem:
            raise UsageError(_one_line(problem)) from None
        except ConflictError as problem:
            print(f"ivr messages: refused: {_one_line(problem)}", file=sys.stderr)
            return EXIT_CONFLICT
        except (BotoCoreError, ClientError, WriteFailed) as problem:
            print(f"ivr messages: AWS error: {_one_line(problem)}", file=sys.stderr)
            return EXIT_AWS_ERROR
    return wrapper


@_guarded
def run_list(args: argparse.Namespace) -> int:
    store = _store(args)
    messages = store.messages()
    for item in store.invalid:
        print(f"ivr messages: warning: skipped an item that is not a valid message: {item}", file=sys.stderr)
    center = load_center()
    now = utc_now()
    print(f"now {_local_time(now, center.zone)} ({center.time_zone})")
    if not messages:
        print("no messages")
        return 0
    rows = []
    for m in messages:
        state = plays.state(m, now, center.time_zone)
        playing = plays.plays_now(m, messages, now, center.time_zone) if state == plays.LIVE else ""
        rows.append([m.id, to_document(m)["scope"], m.kind, m.effect, str(m.priority), str(m.version), state, playing,
                     plays.window_text(m.window, center.time_zone)])
    header = ["ID", "SCOPE", "KIND", "EFFECT", "PRIORITY", "VERSION", "STATE", "NOW", "WINDOW"]
    for line in plays.columns(header, rows):
        print(line)
    return 0


@_guarded
def run_show(args: argparse.Namespace) -> int:
    import yaml

    print(yaml.safe_dump(to_document(_existing(_store(args), args.id)), sort_keys=False, allow_unicode=True, width=100), end="")
    return 0


@_guarded
def run_add(args: argparse.Namespace) -> int:
    message = validate(Message(
        id=args.id, scope=normalize_scope(args.scope), kind=args.kind, effect=args.effect, texts=_texts(args.text),
        window=_window(args.start, args.end, args.time_zone), priority=args.priority or 0, enabled=not args.disabled,
    ))
    store = _store(args)
    (written,) = _write(store, [Change("ADD", None, message)], args)
    print(f"added {written.id} (version {written.version})")
    return 0


@_guarded
def run_update(args: argparse.Namespace) -> int:
    store = _store(args)
    before = _as_seen(store, args)
    fields: dict[str, Any] = {}
    if args.scope:
        fields["scope"] = normalize_scope(args.scope)
    for name in ("kind", "effect", "priority"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    if args.text:
        fields["texts"] = {**before.texts, **_texts(args.text)}
    if args.always:
        fields["window"] = Window()
    elif args.start or args.end or args.time_zone:
        window = before.window
        fields["window"] = _window(args.start or window.start or None, args.end or (None if args.start else window.end or None),
                                   args.time_zone or window.time_zone or None)
    if not fields:
        raise UsageError("nothing to change: give at least one of --scope --kind --effect --text --start --end --time-zone --always --priority")
    after = validate(replace(before, **fields))
    if after.content() == before.content():
        print(f"{after.id} is already so (version {before.version}): nothing written")
        return 0
    (written,) = _write(store, [Change("UPDATE", before, after)], args)
    print(f"updated {written.id} (version {before.version} -> {written.version})")
    return 0


@_guarded
def run_state(args: argparse.Namespace) -> int:
    store = _store(args)
    before = _as_seen(store, args)
    if args.action != "DELETE" and before.enabled == (args.action == "ENABLE"):
        print(f"{args.id} is already {args.action.lower()}d (version {before.version}): nothing written")
        return 0
    after = None if args.action == "DELETE" else replace(before, enabled=args.action == "ENABLE")
    _write(store, [Change(args.action, before, after)], args)
    print(f"{args.action.lower()}d {args.id}")
    return 0


@_guarded
def run_restore(args: argparse.Namespace) -> int:
    store = _store(args)
    current, restored, wanted = store.restoration(args.id, args.version)
    if current and restored.content() == current.content():
        print(f"{args.id} is already as at version {wanted} (version {current.version}): nothing written")
        return 0
    (written,) = _write(store, [Change("RESTORE", current, restored)], args)
    print(f"restored {args.id} as at version {wanted} (now version {written.version})")
    return 0


@_guarded
def run_history(args: argparse.Namespace) -> int:
    entries = _store(args).history(args.id)
    if not entries:
        print("no history" + (f" for {args.id}" if args.id else ""))
        return 0
    zone = load_center().zone
    for entry in entries:
        print(f"{_local_time(_instant(entry['at']), zone, seconds=True)}  {_who(entry)}  {entry['action']:8} {entry['id']} v{entry['version']}: "
              f"{describe_change(entry['before'], entry['after'])}")
    return 0


@_guarded
def run_preview(args: argparse.Namespace) -> int:
    center = load_center().with_time_zone(args.time_zone)
    time_zone, default_language = center.time_zone, center.default_language
    at = instant(args.at, zone=center.zone, now=utc_now())
    language = args.language or default_language
    call: dict[str, Any] = {"queue": args.queue, "flow": args.flow}
    if args.scope:
        call = plays.stage(normalize_scope(args.scope))
        call.setdefault("queue", args.queue if "flow" in call else "")
    messages = _store(args).messages()
    choice = choose(messages, at, language=language, default_language=default_language, center_tz=time_zone,
                    hours=opening_hours(center.opening_hours), **call)
    stage = "once the call has its queue (scope: queue)" if call.get("queue_only") else "at call start"
    print(f"at {_local_time(at, center.zone)} ({time_zone}), {stage}, queue {call.get('queue') or '-'}, "
          f"flow {call.get('flow') or '-'}, language {language}:")
    for key, value in flat_response(choice.result, **answer(choice), stale=False).items():
        print(f"  {key}: {value}")
    if choice.message:
        others = [m.id for m in messages if m is not choice.message and choose([m], at, center_tz=time_zone, **call).message]
        print(f"  outranked: {', '.join(others) if others else 'none'}")
        for reason in guards.contradicted_hours(choice.message, center):
            print(f"  warning: {reason}")
    return 0


def run_local(args: argparse.Namespace) -> int:
    from ivr.messages.local import LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_TABLE, PortInUse, start_local_dynamodb

    try:
        server, url = start_local_dynamodb(args.port)
    except PortInUse as problem:
        raise UsageError(str(problem)) from None
    except ModuleNotFoundError as missing:  # moto comes with the development install, as for `ivr call`
        raise UsageError(f"ivr messages local needs {missing.name}: run `make install` (requirements-dev.txt)") from None
    environment = {"AWS_ENDPOINT_URL": url, **LOCAL_CREDENTIALS, "AWS_DEFAULT_REGION": LOCAL_REGION, TABLE_ENV: LOCAL_TABLE}
    print(f"local DynamoDB (moto) at {url}: table {LOCAL_TABLE} with the seed messages (ivr/messages/seed_messages.yaml)")
    print("in another terminal:")
    print("  export " + " ".join(f"{name}={value}" for name, value in environment.items()))
    print("  .venv/bin/ivr messages list")
    print(f"  .venv/bin/ivr call main --aws-endpoint {url}")
    print("Ctrl-C stops it and forgets the table.", flush=True)
    try:
        _wait_for_stop()
    finally:
        server.stop()
    return 0


def _wait_for_stop() -> None:
    """Serve until Ctrl-C (SIGINT) or SIGTERM. A process started in the background by a shell
    without job control inherits SIGINT ignored (CI does that): take it back, so Ctrl-C still stops it."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return


def run_serve(args: argparse.Namespace) -> int:
    from ivr.messages.serve import LocalPage
    from lambdas.messages_api.routes import MessagesApi

    server = None
    if not args.table:
        from ivr.messages.local import LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_TABLE, start_local_dynamodb

        try:
            server, url = start_local_dynamodb(0)
        except ModuleNotFoundError as missing:
            raise UsageError(f"ivr messages serve with no table needs {missing.name}: run `make install` (requirements-dev.txt)") from None
        os.environ.update({"AWS_ENDPOINT_URL": url, **LOCAL_CREDENTIALS, "AWS_DEFAULT_REGION": LOCAL_REGION})
        args.table = LOCAL_TABLE
        print(f"no --table: a local DynamoDB (moto) at {url} holds {LOCAL_TABLE} with the seed messages")
    try:
        page = LocalPage(MessagesApi(_store(args), load_center()), args.port).start()
    except OSError as problem:
        if server:
            server.stop()
        raise UsageError(f"cannot listen on port {args.port} ({problem.strerror}): give --port another (0 for any free port)") from None
    print(f"operators' page at {page.url}/ (table {args.table}); sign in with any name as editor or viewer. Ctrl-C stops it.", flush=True)
    try:
        _wait_for_stop()
    finally:
        page.stop()
        if server:
            server.stop()
    return 0


@_guarded
def run_apply(args: argparse.Namespace) -> int:
    wanted = load_file(args.file)
    store = _store(args)
    current = {m.id: m for m in store.messages()}
    changes, unchanged = [], 0
    for message in wanted:
        before = current.get(message.id)
        if before is None:
            changes.append(Change("ADD", None, message))
            print(f"+ add {message.id}: {_summary(message)}")
        elif before.content() != message.content():
            changes.append(Change("UPDATE", before, message))
            print(f"~ update {message.id}: {describe_change(to_document(before), to_document(message))}")
        else:
            unchanged += 1
    for message_id in sorted(set(current) - {m.id for m in wanted}):
        if args.prune:
            changes.append(Change("DELETE", current[message_id], None))
            print(f"- delete {message_id}")
        else:
            print(f"  keep {message_id} (not in the file; --prune deletes it)")
    print(f"{len(changes)} change(s), {unchanged} unchanged")
    if args.dry_run:
        center, now = load_center(), utc_now()
        for change in changes:
            for reason in guards.new_concerns(change.before, change.after, center, now):
                print(f"warning: {reason}")
        print("dry run: nothing written")
        return 0
    if len(changes) > 50:
        raise UsageError(f"{len(changes)} changes: at most 50 per apply (one transaction); split the file")
    _write(store, changes, args)
    if changes:
        print(f"applied {len(changes)} change(s)")
    return 0


# --- Helpers ----------------------------------------------------------------------------------


def _store(args: argparse.Namespace) -> MessageStore:
    if not args.table:
        raise UsageError(f"no table: give --table NAME or set {TABLE_ENV} (stack output MessagesTableName)")
    import boto3

    session = boto3.Session(profile_name=args.profile, region_name=args.region)
    args.session = session
    return MessageStore(aws.client(session, "dynamodb"), args.table, say=aws.say)


def _identity(args: argparse.Namespace) -> str:
    """Who the AWS credentials are (STS GetCallerIdentity): what history records, whatever --by says."""
    if not getattr(args, "identity", None):
        args.identity = aws.client(args.session, "sts").get_caller_identity()["Arn"]
    return str(args.identity)


def _existing(store: MessageStore, message_id: str) -> Message:
    message = store.get(message_id)
    if message is None:
        raise UsageError(f"no message {message_id!r} (see `ivr messages list`)")
    return message


def _as_seen(store: MessageStore, args: argparse.Namespace) -> Message:
    """The message to change, once the operator has seen what others changed meanwhile: since the version they
    looked at (--expected-version), or else the last change when another identity made it in the last
    RECENT_MINUTES. That change is printed, as this edit would replace it, and the edit goes on only with
    --yes (ConflictError otherwise)."""
    message = _existing(store, args.id)
    seen = args.expected_version
    if seen is None:
        changed_at = _instant(message.updated_at) if message.updated_at else None
        recent = changed_at is not None and utc_now() - changed_at < timedelta(minutes=RECENT_MINUTES)
        if not (recent and message.updated_by != _identity(args)):
            return message
        seen, why = message.version - 1, f"was changed by {message.updated_by} in the last {RECENT_MINUTES} minutes"
    elif seen == message.version:
        return message
    else:
        why = f"is at version {message.version}, not {seen}: someone else changed it"
    print(f"{message.id} changed since version {seen}:")
    zone = load_center().zone
    for entry in store.history(message.id):
        if entry["version"] > seen:
            print(f"  v{entry['version']} {entry['action']} by {_who(entry)} at {_local_time(_instant(entry['at']), zone)}: "
                  f"{describe_change(entry['before'], entry['after'])}")
    if not args.yes:
        raise ConflictError(f"message {message.id} {why} (above); your edit would replace that: nothing written; "
                            f"retry with --expected-version {message.version}, or --yes to write over it")
    return message


def _write(store: MessageStore, changes: list[Change], args: argparse.Namespace) -> list[Message]:
    """Write `changes` once the operator has confirmed every concern they raise (guards)."""
    now = utc_now()
    center = load_center()
    reasons = [reason for change in changes for reason in guards.new_concerns(change.before, change.after, center, now)]
    if reasons and not _confirmed(args, reasons):
        raise UsageError("not written: " + "; ".join(reasons) + "; add --yes to write it anyway")
    return store.write(changes, by=_identity(args), note=args.by or "")


def _confirmed(args: argparse.Namespace, reasons: list[str]) -> bool:
    if args.yes or sys.stdin is None or not sys.stdin.isatty():
        if args.yes:
            for reason in reasons:
                print(f"ivr messages: warning: {reason}", file=sys.stderr)
        return bool(args.yes)
    for reason in reasons:
        print(f"ivr messages: warning: {reason}", file=sys.stderr)
    return input("write it anyway? [y/N] ").strip().lower() in ("y", "yes")


def _texts(values: list[str]) -> dict[str, str]:
    texts = {}
    for value in values:
        language, text = key_value("--text", value, "LANGUAGE=TEXT, like en-US='We are closed today.'")
        texts[language.strip()] = text
    return texts


def _window(start: str | None, end: str | None, time_zone: str | None) -> Window:
    """The window of --start/--end, local times in --time-zone, else in the center's."""
    center = load_center().with_time_zone(time_zone)
    return window(start, end, zone=center.zone, zone_given=bool(time_zone), now=utc_now())


def _who(entry: dict[str, Any]) -> str:
    return f"{entry['by']} ({entry['note']})" if entry.get("note") else str(entry["by"])


def _instant(iso_utc: str) -> datetime:
    return datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))


def _local_time(moment: datetime, zone: ZoneInfo, *, seconds: bool = False) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M{':%S' if seconds else ''} %Z}"


def _one_line(problem: Exception) -> str:
    return " ".join(str(problem).split())


def _summary(message: Message) -> str:
    document = to_document(message)
    state = "" if message.enabled else ", disabled"
    return f"{document['scope']} {message.kind} {message.effect}, {message.window.describe()}{state}"
