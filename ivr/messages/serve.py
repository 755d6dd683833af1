"""`ivr messages serve`: the operators' page and its API on a laptop, against the table `ivr messages` uses.

The page's static files (operators_page/) are served as CloudFront serves them, with the same
security headers; /api/... goes to the API Lambda's own code (`lambdas.messages_api.handler.respond`)
in the payload-2.0 events API Gateway would send. Signing in is a local stand-in for Cognito:
POST /local/sign-in with a name and a group gives a token whose claims (issuer LOCAL_ISSUER, the
name as email, the group) the API checks as it checks a user pool's.
"""
from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lambdas.messages_api.access import EDITORS, VIEWERS
from lambdas.messages_api.handler import respond
from lambdas.messages_api.page import PAGE_FILES, security_headers
from lambdas.messages_api.routes import MessagesApi, match_route

PAGE_DIR = Path(__file__).resolve().parents[2] / "operators_page"
LOCAL_ISSUER = "ivr-messages-serve"
DEFAULT_PORT = 8787
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json"}


def http_event(method: str, path: str, *, claims: dict[str, Any] | None, query: dict[str, str] | None = None,
               body: str | None = None) -> dict[str, Any]:
    """The payload-2.0 event API Gateway sends the function for a request (claims: what the JWT authorizer passes)."""
    matched = match_route(method, path)
    route, parameters = matched if matched else (f"{method} {path}", {})
    context: dict[str, Any] = {"http": {"method": method, "path": path}}
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return {"version": "2.0", "routeKey": route, "rawPath": path, "pathParameters": parameters or None,
            "queryStringParameters": query or None, "body": body, "isBase64Encoded": False, "requestContext": context}


class LocalPage:
    """The page and API on 127.0.0.1:`port` (0: any free port) until `stop()`."""

    def __init__(self, api: MessagesApi, port: int = DEFAULT_PORT) -> None:
        self.api = api
        self.sessions: dict[str, dict[str, Any]] = {}  # token -> claims
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LocalPage:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sign_in(self, name: str, group: str) -> str:
        token = secrets.token_urlsafe(24)
        self.sessions[token] = {"iss": LOCAL_ISSUER, "sub": secrets.token_hex(8), "email": name, "cognito:groups": f"[{group}]"}
        return token


def _handler_for(page: LocalPage) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ivr-messages-serve"

        def log_message(self, format: str, *args: Any) -> None:  # quiet, like moto's server here
            return

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            url = urlsplit(self.path)
            if url.path.startswith("/api/"):
                token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                event = http_event(method, url.path, claims=page.sessions.get(token), query=dict(parse_qsl(url.query)),
                                   body=self._read_body())
                answer = respond(page.api, event, issuer=LOCAL_ISSUER)
                self._send(answer["statusCode"], answer["body"].encode(), answer["headers"]["content-type"])
            elif url.path == "/local/sign-in" and method == "POST":
                self._sign_in()
            elif method == "GET" and url.path == "/config.json":
                self._send(200, json.dumps({"mode": "local"}).encode(), _TYPES[".json"])
            elif method == "GET" and (url.path == "/" or url.path.lstrip("/") in PAGE_FILES):
                name = url.path.lstrip("/") or "index.html"
                self._send(200, (PAGE_DIR / name).read_bytes(), _TYPES[Path(name).suffix])
            else:
                self._send(404, b'{"error": "not_found"}', _TYPES[".json"])

        def _sign_in(self) -> None:
            try:
                form = json.loads(self._read_body() or "{}")
                name, group = str(form.get("name", "")).strip(), form.get("group")
            except (ValueError, AttributeError):
                name, group = "", None
            if not name or group not in (EDITORS, VIEWERS):
                self._send(400, json.dumps({"error": "bad_input", "field": "name", "reason": "give your name and a group"}).encode(),
                           _TYPES[".json"])
                return
            self._send(200, json.dumps({"token": page.sign_in(name, group)}).encode(), _TYPES[".json"])

        def _read_body(self) -> str | None:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length).decode("utf-8") if length else None

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in security_headers().items():
                if name != "Strict-Transport-Security":  # plain http on loopback: HSTS means nothing here
                    self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
