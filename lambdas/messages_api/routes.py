"""The operators' page API: the routes, over the same model, store, guards and times as `ivr messages`.

Every answer is JSON. What a page can get back besides 200:
- 400 `{"error": "bad_input", "field", "reason"}`: the field to fix and why; nothing written.
- 401 not signed in, 403 signed in but not allowed (viewers read, editors change), 404 no such message.
- 409 `{"error": "conflict", "reason", "current", "changes"}`: the message changed since the version
  the page showed (or meanwhile): what it is now and each change since; nothing written.
- 422 `{"error": "confirm", "warnings"}`: the guard rails of `ivr messages` (a window that is over,
  a closure with no end, a queue, flow or language the app does not have); sent again with
  `"confirm": true` it is written.
- 503 `{"error": "aws", "reason"}`: DynamoDB failed (after a lost answer, what reading back found).

ROUTES is the one list of routes: the stack declares each of them with the authorizer, and
`ivr messages serve` matches paths against it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lambdas.closure_check.model import Message, MessageError, normalize_scope, utc_now, validate
from lambdas.closure_check.selection import answer, choose
from lambdas.common.responses import flat_response
from lambdas.messages_api.access import Caller
from lambdas.messages_editing import guards, plays
from lambdas.messages_editing.center import Center
from lambdas.messages_editing.documents import describe_change, to_document
from lambdas.messages_editing.store import Change, ConflictError, MessageStore, WriteFailed
from lambdas.messages_editing.times import instant, window

# route key (as API Gateway names it) -> whether it changes anything (editors only)
ROUTES: Mapping[str, bool] = {
    "GET /api/center": False,
    "GET /api/messages": False,
    "GET /api/hearing": False,
    "GET /api/preview": False,
    "GET /api/history": False,
    "POST /api/messages": True,
    "PUT /api/messages/{id}": True,
    "POST /api/messages/{id}/enable": True,
    "POST /api/messages/{id}/disable": True,
    "POST /api/messages/{id}/restore": True,
    "DELETE /api/messages/{id}": True,
}


@dataclass(frozen=True)
class Request:
    route: str  # a key of ROUTES
    caller: Caller
    path: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class Response:
    status: int
    body: Any


class Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("reason", ""))
        self.status, self.body = status, body


def bad_input(field_name: str, reason: str) -> Refused:
    return Refused(400, {"error": "bad_input", "field": field_name, "reason": reason.replace("--", "")})


def match_route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """(route key, path parameters) of a request, as API Gateway matches it; None when no route matches."""
    for route in ROUTES:
        verb, template = route.split(" ", 1)
        pattern = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        found = re.match(pattern, path)
        if verb == method.upper() and found:
            return route, found.groupdict()
    return None


class MessagesApi:
    """Answers requests against one messages table for one center; `clock` gives "now" (tests move it)."""

    def __init__(self, store: MessageStore, center: Center, clock: Callable[[], datetime] = utc_now) -> None:
        self.store, self.center, self.clock = store, center, clock
        self._routes: dict[str, Callable[[Request], Any]] = {
            "GET /api/center": self.describe_center,
            "GET /api/messages": self.list_messages,
            "GET /api/hearing": self.hearing,
            "GET /api/preview": self.preview,
            "GET /api/history": self.history,
            "POST /api/messages": self.add,
            "PUT /api/messages/{id}": self.edit,
            "POST /api/messages/{id}/enable": self.enable,
            "POST /api/messages/{id}/disable": self.disable,
            "POST /api/messages/{id}/restore": self.restore,
            "DELETE /api/messages/{id}": self.delete,
        }
        assert set(self._routes) == set(ROUTES), "every route has a handler"

    def handle(self, request: Request) -> Response:
        from botocore.exceptions import BotoCoreError, ClientError

        if request.route not in ROUTES:
            return Response(404, {"error": "not_found", "reason": "no such route"})
        if not request.caller.can_view:
            return Response(403, {"error": "forbidden", "reason": "you are in neither the editors nor the viewers group"})
        if ROUTES[request.route] and not request.caller.can_edit:
            return Response(403, {"error": "forbidden", "reason": "only editors may change messages; you may look"})
        try:
            return Response(200, self._routes[request.route](request))
        except Refused as refused:
            return Response(refused.status, refused.body)
        except (BotoCoreError, ClientError, WriteFailed) as problem:
            return Response(503, {"error": "aws", "reason": " ".join(str(problem).split())})

    # --- Reading ------------------------------------------------------------------------------

    def describe_center(self, request: Request) -> dict[str, Any]:
        center = self.center
        return {"time_zone": center.time_zone, "languages": list(center.languages), "queues": sorted(center.queues),
                "flows": sorted(center.flows), "now": self._local(self.clock()),
                "you": {"identity": request.caller.identity, "can_edit": request.caller.can_edit}}

    def list_messages(self, request: Request) -> dict[str, Any]:
        now, time_zone = self.clock(), self.center.time_zone
        messages = self.store.messages()
        listed = []
        for message in messages:
            state = plays.state(message, now, time_zone)
            listed.append({**to_document(message), "state": state, "window_text": plays.window_text(message.window, time_zone),
                           "now": plays.plays_now(message, messages, now, time_zone) if state == plays.LIVE else ""})
        return {"now": self._local(now), "messages": listed, "skipped": list(self.store.invalid)}

    def hearing(self, request: Request) -> dict[str, Any]:
        """What a caller hears now: at the start of a call in each flow, and once the call has each queue, per language."""
        now, center = self.clock(), self.center
        messages = self.store.messages()
        stages: list[tuple[str, str, dict[str, Any]]] = [("flow", name, {"flow": name}) for name in sorted(center.flows)]
        stages += [("queue", name, plays.stage(f"QUEUE#{name}")) for name in sorted(center.queues)]
        heard = []
        for stage, name, call in stages:
            for language in center.languages:
                choice = choose(messages, now, language=language, default_language=center.default_language,
                                center_tz=center.time_zone, **call)
                heard.append({"stage": stage, "name": name, "language": language, "result": choice.result, **answer(choice)})
        return {"now": self._local(now), "hearing": heard}

    def preview(self, request: Request) -> dict[str, Any]:
        query, center = request.query, self.center
        try:
            at = instant(query.get("at") or "now", zone=center.zone, now=self.clock(), option="at")
            scope = normalize_scope(query["scope"]) if query.get("scope") else None
        except MessageError as problem:
            raise bad_input("scope" if "scope" in str(problem) else "at", str(problem)) from None
        language = query.get("language") or center.default_language
        call: dict[str, Any] = {"queue": query.get("queue", ""), "flow": query.get("flow", "")}
        if scope:
            call = plays.stage(scope)
            call.setdefault("queue", query.get("queue", "") if "flow" in call else "")
        messages = self.store.messages()
        choice = choose(messages, at, language=language, default_language=center.default_language, center_tz=center.time_zone, **call)
        others = [m.id for m in messages if choice.message and m is not choice.message
                  and choose([m], at, center_tz=center.time_zone, **call).message]
        spoken = choice.message.texts[choice.language] if choice.message else ""
        return {"at": self._local(at), "stage": "queue" if call.get("queue_only") else "call start", "queue": call.get("queue", ""),
                "flow": call.get("flow", ""), "language": choice.language or language,
                "answer": flat_response(choice.result, **answer(choice), stale=False), "spoken": _spoken(spoken), "outranked": others}

    def history(self, request: Request) -> dict[str, Any]:
        entries = self.store.history(request.query.get("id") or None)
        return {"history": [self._entry(entry) for entry in reversed(entries)]}

    # --- Changing -----------------------------------------------------------------------------

    def add(self, request: Request) -> dict[str, Any]:
        message = self._message_from(request.body, message_id=None)
        return self._write(request, Change("ADD", None, message))

    def edit(self, request: Request) -> dict[str, Any]:
        before = self._as_seen(request)
        after = replace(self._message_from(request.body, message_id=before.id), version=before.version)
        if after.content() == before.content():
            return {"unchanged": True, "message": to_document(before)}
        return self._write(request, Change("UPDATE", before, after))

    def enable(self, request: Request) -> dict[str, Any]:
        return self._switch(request, enabled=True)

    def disable(self, request: Request) -> dict[str, Any]:
        return self._switch(request, enabled=False)

    def delete(self, request: Request) -> dict[str, Any]:
        return self._write(request, Change("DELETE", self._as_seen(request), None))

    def restore(self, request: Request) -> dict[str, Any]:
        body = _body(request.body)
        version = body.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise bad_input("version", "version must be a whole number")
        try:
            current, restored, _ = self.store.restoration(request.path["id"], version)
        except MessageError as problem:
            raise bad_input("version", str(problem)) from None
        if current and restored.content() == current.content():
            return {"unchanged": True, "message": to_document(current)}
        return self._write(request, Change("RESTORE", current, restored))

    def _switch(self, request: Request, *, enabled: bool) -> dict[str, Any]:
        before = self._as_seen(request)
        if before.enabled == enabled:
            return {"unchanged": True, "message": to_document(before)}
        return self._write(request, Change("ENABLE" if enabled else "DISABLE", before, replace(before, enabled=enabled)))

    def _as_seen(self, request: Request) -> Message:
        """The message to change, if it is still at the version the page showed (`expected_version`,
        in the body or the query); 409 with the changes since otherwise."""
        message_id = request.path["id"]
        message = self.store.get(message_id)
        if message is None:
            raise Refused(404, {"error": "not_found", "reason": f"no message {message_id!r}: someone may have deleted it"})
        seen = _body(request.body).get("expected_version", request.query.get("expected_version"))
        try:
            seen = int(seen)
        except (TypeError, ValueError):
            raise bad_input("expected_version", "give the version the page showed (expected_version)") from None
        if seen != message.version:
            raise self._conflict(message_id, seen, f"{message_id} is at version {message.version}, not {seen}: someone else changed it")
        return message

    def _write(self, request: Request, change: Change) -> dict[str, Any]:
        reasons = guards.new_concerns(change.before, change.after, self.center, self.clock())
        if reasons and _body(request.body).get("confirm") is not True:
            raise Refused(422, {"error": "confirm", "warnings": reasons, "reason": "; ".join(reasons)})
        try:
            self.store.write([change], by=request.caller.identity)
        except ConflictError as problem:
            seen = change.before.version if change.before else 0
            raise self._conflict(change.id, seen, " ".join(str(problem).split()).split(": nothing written")[0]) from None
        stored = self.store.get(change.id)
        return {"action": change.action, "id": change.id, "message": to_document(stored) if stored else None, "warnings": reasons}

    def _conflict(self, message_id: str, seen: int, reason: str) -> Refused:
        current = self.store.get(message_id)
        changes = [self._entry(entry) for entry in self.store.history(message_id) if entry["version"] > seen]
        return Refused(409, {"error": "conflict", "reason": f"{reason}; nothing written", "current": to_document(current) if current else None,
                             "changes": changes})

    def _message_from(self, data: Any, *, message_id: str | None) -> Message:
        """A validated message from the page's form; 400 naming the field otherwise."""
        body = _body(data)
        texts = body.get("text")
        if not isinstance(texts, Mapping) or not texts:
            raise bad_input("text", "give a text in at least one language")
        priority = body.get("priority", 0)
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise bad_input("priority", f"priority must be a whole number from -1000 to 1000, got {priority!r}")
        try:
            scope = normalize_scope(body.get("scope"))
        except MessageError as problem:
            raise bad_input("scope", str(problem)) from None
        time_zone = str(body.get("time_zone") or "")
        try:
            zone = self.center.with_time_zone(time_zone).zone
        except MessageError as problem:
            raise bad_input("time_zone", str(problem)) from None
        try:
            when = window(_text(body.get("start")), _text(body.get("end")), zone=zone, zone_given=bool(time_zone), now=self.clock())
        except MessageError as problem:
            raise bad_input(_window_field(str(problem)), str(problem)) from None
        message = Message(
            id=message_id if message_id is not None else str(body.get("id") or ""),
            scope=scope, kind=str(body.get("kind") or "").upper(), effect=str(body.get("effect") or "").upper(),
            texts={str(language): text for language, text in texts.items()}, window=when, priority=priority,
            enabled=body.get("enabled", True),
        )
        try:
            return validate(message)
        except MessageError as problem:
            raise bad_input(_field_of(str(problem)), str(problem)) from None

    def _entry(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        at = datetime.fromisoformat(str(entry["at"]).replace("Z", "+00:00"))
        return {"id": entry["id"], "action": entry["action"], "by": entry["by"], "at": self._local(at), "version": entry["version"],
                "what": describe_change(entry["before"], entry["after"])}

    def _local(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.center.zone):%Y-%m-%d %H:%M %Z}"


def _body(data: Any) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise bad_input("body", "send a JSON object")
    return data


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _window_field(reason: str) -> str:
    """The form field a problem of `times.window` is about: the end when it is the one missing or wrong."""
    return "end" if reason.startswith("--end '") or "needs --end" in reason or "--end must" in reason else "start"


def _field_of(reason: str) -> str:
    """The form field a validation message is about."""
    if reason.startswith("id "):
        return "id"
    what = reason.split(": ", 1)[-1]  # after "message <id>: "
    for word, field_name in (("kind", "kind"), ("effect", "effect"), ("priority", "priority"), ("enabled", "enabled"),
                             ("time zone", "time_zone"), ("window", "start")):
        if what.startswith(word) or f" {word} " in what:
            return field_name
    return "text"  # languages, empty, too long or malformed texts


def _spoken(text: str) -> str:
    """What the browser's speech synthesis reads: the words of the prompt, SSML tags aside."""
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())
