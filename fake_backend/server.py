"""A local fake of the customer backend (DD-6), with injectable faults.

It serves the contract in `openapi.yaml` from `seed_data.json` on a loopback port (standard
library, plus `phone_numbers` for what a valid caller number is), so tests, the load test and
the local simulator can run against a real HTTP endpoint and watch a data dip cope with a slow, failing or misbehaving backend:

    with FakeBackend(api_key="local-test-key") as backend:
        backend.set_fault("latency", latency_ms=300)      # every request, until cleared
        backend.set_fault("error_503", count=1)            # the next request only
        backend.set_fault("hang", path_prefix="/orders")   # only the matching paths
        ... call backend.url ...
        backend.requests, backend.interactions             # what the backend saw / wrote

A request may also choose its own fault with the header `X-Fake-Fault: <name>` (or `none`),
plus `X-Fake-Latency-Ms` and `X-Fake-Retry-After`; the header wins over the run's fault.
"""
from __future__ import annotations

import contextlib
import hmac
import json
import re
import select
import socket
import struct
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from phone_numbers import is_e164

SEED_PATH = Path(__file__).with_name("seed_data.json")
DEFAULT_API_KEY = "local-test-key"

FAULTS: tuple[str, ...] = (
    "latency",  # added delay, then the normal answer (none, and nothing written, if the client gives up first)
    "hang",  # accept and read the request, never answer; ends when the client gives up
    "error_500",
    "error_503",
    "error_503_retry_after",  # 503 with Retry-After
    "throttle_429",
    "throttle_429_retry_after",  # 429 with Retry-After
    "reset",  # TCP reset instead of an answer
    "malformed",  # 200 whose body is not JSON
    "oversized",  # 200 with a multi-MB body
    "trickle",  # the normal answer, its body one byte at a time
)
# Shorthands people use for a fault, accepted wherever a fault is named (set_fault, --fault of
# `python -m fake_backend`, X-Fake-Fault, `ivr call --backend-fault`): the one table of them.
FAULT_ALIASES: dict[str, str] = {
    "timeout": "hang",
    "slow": "latency",
    "error": "error_500",
    "down": "reset",
    "throttle": "throttle_429",
}
DEFAULT_LATENCY_MS = 1500
DEFAULT_RETRY_AFTER_S = 1
DEFAULT_TRICKLE_INTERVAL_MS = 100
OVERSIZED_BYTES = 5 * 1024 * 1024


def resolve_fault(name: str) -> str:
    """The fault of FAULTS that `name` means (itself, or what its shorthand stands for);
    ValueError naming every accepted name when it means none."""
    resolved = FAULT_ALIASES.get(name, name)
    if resolved not in FAULTS:
        raise ValueError(f"unknown fault {name!r}; expected one of {', '.join(fault_names())}")
    return resolved


def fault_names() -> list[str]:
    """Every name a fault can be given: FAULTS and their shorthands, sorted."""
    return sorted(set(FAULTS) | set(FAULT_ALIASES))


ORDER_ID = re.compile(r"^[0-9]{8}$")
ORDER_PATH = re.compile(r"^/orders/([^/]+)$")
VERIFICATION_PATH = re.compile(r"^/customers/([^/]+)/verification$")
PIN = re.compile(r"^[0-9]{4,8}$")
DATE_OF_BIRTH = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class RecordedRequest:
    """One request as the backend received it (header names lower-cased)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str
    fault: str | None = None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def __getitem__(self, key: str) -> Any:  # request["path"] works as well as request.path
        return getattr(self, key)


@dataclass
class _Fault:
    name: str
    latency_ms: int = DEFAULT_LATENCY_MS
    retry_after_s: int = DEFAULT_RETRY_AFTER_S
    trickle_interval_ms: int = DEFAULT_TRICKLE_INTERVAL_MS
    path_prefix: str = ""
    remaining: int | None = None  # None: until cleared


@dataclass
class _Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _json_answer(status: int, payload: Any, **headers: str) -> _Answer:
    return _Answer(status, json.dumps(payload).encode(), headers)


def _error(status: int, message: str, **headers: str) -> _Answer:
    return _json_answer(status, {"message": message}, **headers)


def _parse_query(raw: str) -> dict[str, str]:
    # `unquote`, not `unquote_plus`: a client that forgets to encode the `+` of an E.164 number
    # still finds its customer.
    pairs = (part.partition("=") for part in raw.split("&") if part)
    return {unquote(name): unquote(value) for name, _, value in pairs}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a hung request never delays stop()
    request_queue_size = 128  # socketserver's 5 makes bursts of new connections wait 1 s for a SYN retry


class FakeBackend:
    """The fake customer backend on 127.0.0.1; see the module docstring."""

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        seed: str | Path | dict | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ):
        self.api_key = api_key
        data = seed if isinstance(seed, dict) else json.loads(Path(seed or SEED_PATH).read_text())
        self.orders: dict[str, dict] = {o["orderId"]: o for o in data.get("orders", [])}
        self.customers: dict[str, dict] = {c["phone"]: c for c in data.get("customers", [])}
        # What each customer can verify with (PIN, date of birth), by customerId: never served.
        self.verification_secrets: dict[str, dict] = dict(data.get("verificationSecrets", {}))
        self.requests: list[RecordedRequest] = []
        self.interactions: list[dict] = []
        self.verbose = verbose
        self._address = (host, port)
        self._fault: _Fault | None = None
        self._by_idempotency_key: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeBackend:
        handler = type("BoundHandler", (_Handler,), {"backend": self})
        server = _Server(self._address, handler)
        self._stopping.clear()
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="fake-backend", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # wake handlers blocked on idle keep-alive connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeBackend:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake backend is not running: call start() first")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host = self._address[0] if self._address[0] not in ("", "0.0.0.0") else "127.0.0.1"
        return f"http://{host}:{self.port}"

    # -- faults and state ------------------------------------------------------------------
    def set_fault(
        self,
        name: str | None,
        *,
        latency_ms: int = DEFAULT_LATENCY_MS,
        retry_after_s: int = DEFAULT_RETRY_AFTER_S,
        trickle_interval_ms: int = DEFAULT_TRICKLE_INTERVAL_MS,
        path_prefix: str = "",
        count: int | None = None,
    ) -> None:
        """Inject `name` (a FAULTS name or shorthand) into every matching request (`count`: only
        the next N); None clears."""
        fault = None
        if name is not None:
            fault = _Fault(resolve_fault(name), latency_ms, retry_after_s, trickle_interval_ms, path_prefix, count)
        with self._lock:
            self._fault = fault

    def reset(self) -> None:
        """Clear the fault, the recorded requests and the interactions written so far."""
        with self._lock:
            self._fault = None
            self.requests.clear()
            self.interactions.clear()
            self._by_idempotency_key.clear()

    def _fault_for(self, path: str, headers: dict[str, str]) -> _Fault | None:
        requested = headers.get("x-fake-fault")
        if requested is not None:
            if requested.lower() == "none":
                return None
            chosen = _Fault(FAULT_ALIASES.get(requested.lower(), requested.lower()))
            if "x-fake-latency-ms" in headers:
                chosen.latency_ms = int(headers["x-fake-latency-ms"])
            if "x-fake-retry-after" in headers:
                chosen.retry_after_s = int(headers["x-fake-retry-after"])
            return chosen
        with self._lock:
            fault = self._fault
            if fault is None or not path.startswith(fault.path_prefix):
                return None
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._fault = None
            return fault

    # -- the API ---------------------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> _Answer:
        """The normal (fault-free) answer to one request."""
        if headers.get("x-api-key") != self.api_key:
            return _error(401, "missing or invalid API key (header x-api-key)")
        if match := ORDER_PATH.match(path):
            if method != "GET":
                return _error(405, "use GET", Allow="GET")
            return self._get_order(unquote(match.group(1)))
        if path == "/customers":
            if method != "GET":
                return _error(405, "use GET", Allow="GET")
            return self._get_customer(query.get("phone", ""))
        if match := VERIFICATION_PATH.match(path):
            if method != "POST":
                return _error(405, "use POST", Allow="POST")
            return self._verify(unquote(match.group(1)), body)
        if path == "/interactions":
            if method != "POST":
                return _error(405, "use POST", Allow="POST")
            return self._post_interaction(headers.get("idempotency-key"), body)
        return _error(404, f"no route for {method} {path}")

    def _get_order(self, order_id: str) -> _Answer:
        if not ORDER_ID.match(order_id):
            return _error(400, "orderId must be exactly 8 digits")
        order = self.orders.get(order_id)
        return _json_answer(200, order) if order else _error(404, f"order {order_id} not found")

    def _get_customer(self, phone: str) -> _Answer:
        if not is_e164(phone):
            return _error(400, "phone must be an E.164 number, e.g. +14155550123 (encode + as %2B)")
        customer = self.customers.get(phone)
        return _json_answer(200, customer) if customer else _error(404, "no customer with this phone number")

    def _verify(self, customer_id: str, body: bytes) -> _Answer:
        try:
            given = json.loads(body or b"null")
        except ValueError:
            given = None
        if not isinstance(given, dict) or len(given) != 1 or not (
                PIN.match(str(given.get("pin", ""))) or DATE_OF_BIRTH.match(str(given.get("dateOfBirth", "")))):
            return _error(400, "body must be {\"pin\": 4 to 8 digits} or {\"dateOfBirth\": \"YYYY-MM-DD\"}")
        if not any(customer["customerId"] == customer_id for customer in self.customers.values()):
            return _error(404, f"customer {customer_id} not found")
        (kind, value), = given.items()
        on_file = self.verification_secrets.get(customer_id, {}).get(kind)
        return _json_answer(200, {"verified": on_file is not None and hmac.compare_digest(str(on_file), str(value))})

    def _post_interaction(self, idempotency_key: str | None, body: bytes) -> _Answer:
        try:
            item = json.loads(body or b"null")
        except ValueError:
            return _error(400, "body must be a JSON object")
        if not isinstance(item, dict):
            return _error(400, "body must be a JSON object")
        missing = [name for name in ("contactId", "event") if not isinstance(item.get(name), str) or not item[name]]
        if missing:
            return _error(400, f"missing required field(s): {', '.join(missing)}")
        with self._lock:
            if idempotency_key and idempotency_key in self._by_idempotency_key:
                return _json_answer(200, self._by_idempotency_key[idempotency_key], **{"Idempotent-Replayed": "true"})
            stored = {
                **item,
                "interactionId": str(uuid.uuid4()),
                "createdAt": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            }
            self.interactions.append(stored)
            if idempotency_key:
                self._by_idempotency_key[idempotency_key] = stored
        return _json_answer(201, stored, Location=f"/interactions/{stored['interactionId']}")


class _Handler(BaseHTTPRequestHandler):
    backend: FakeBackend  # set on the bound subclass
    protocol_version = "HTTP/1.1"  # keep-alive, as real clients and pools expect
    server_version = "FakeCustomerBackend/1.0"
    # An answer goes out in two writes (head, then body); with Nagle's algorithm on, the body waits for
    # the client's delayed ACK of the head (~40 ms on Linux loopback) on a keep-alive connection.
    disable_nagle_algorithm = True  # socketserver.StreamRequestHandler sets TCP_NODELAY in setup()

    def setup(self) -> None:
        super().setup()
        with self.backend._lock:
            self.backend._connections.add(self.connection)

    def finish(self) -> None:
        with self.backend._lock:
            self.backend._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if self.backend.verbose:
            sys.stderr.write(f"fake backend: {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _serve(self) -> None:
        backend = self.backend
        split = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            length = int(headers.get("content-length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            fault = backend._fault_for(split.path, headers)
        except ValueError:
            self.close_connection = True
            self._send(_error(400, "Content-Length, X-Fake-Latency-Ms and X-Fake-Retry-After must be integers"))
            return
        query = _parse_query(split.query)
        with backend._lock:
            backend.requests.append(
                RecordedRequest(self.command, split.path, query, headers, body.decode("utf-8", "replace"),
                                fault.name if fault else None)
            )
        if fault is None:
            self._send(backend.answer(self.command, split.path, query, headers, body))
            return
        if fault.name not in FAULTS:
            self._send(_error(400, f"unknown fault {fault.name!r} in X-Fake-Fault"))
            return
        getattr(self, "_fault_" + fault.name)(fault, lambda: backend.answer(self.command, split.path, query, headers, body))

    # -- sending ---------------------------------------------------------------------------
    def _send_head(self, answer: _Answer, content_length: int) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(content_length))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(self, answer: _Answer) -> None:
        try:
            self._send_head(answer, len(answer.body))
            self.wfile.write(answer.body)
        except OSError:  # the client went away
            self.close_connection = True

    # -- faults ----------------------------------------------------------------------------
    def _wait_while_connected(self, seconds: float | None) -> bool:
        """Wait `seconds` (None: for ever); False as soon as the client hangs up or the backend
        stops, so a late answer (and what it writes, e.g. an interaction) never happens."""
        deadline = None if seconds is None else time.monotonic() + seconds
        watching = True  # until the client sends more (a pipelined request): EOF cannot be seen then
        while not self.backend._stopping.is_set():
            left = 0.1 if deadline is None else min(0.1, deadline - time.monotonic())
            if left <= 0:
                return True
            if not watching:
                self.backend._stopping.wait(left)
                continue
            readable, _, _ = select.select([self.connection], [], [], left)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return False  # the client gave up
                except OSError:
                    return False
                watching = False
        return False

    def _fault_latency(self, fault: _Fault, normal) -> None:
        if self._wait_while_connected(fault.latency_ms / 1000.0):
            self._send(normal())
        else:
            self.close_connection = True

    def _fault_hang(self, fault: _Fault, normal) -> None:
        self.close_connection = True
        self._wait_while_connected(None)

    def _fault_error_500(self, fault: _Fault, normal) -> None:
        self._send(_error(500, "internal server error (injected fault)"))

    def _fault_error_503(self, fault: _Fault, normal) -> None:
        self._send(_error(503, "service unavailable (injected fault)"))

    def _fault_error_503_retry_after(self, fault: _Fault, normal) -> None:
        self._send(_error(503, "service unavailable (injected fault)", **{"Retry-After": str(fault.retry_after_s)}))

    def _fault_throttle_429(self, fault: _Fault, normal) -> None:
        self._send(_error(429, "too many requests (injected fault)"))

    def _fault_throttle_429_retry_after(self, fault: _Fault, normal) -> None:
        self._send(_error(429, "too many requests (injected fault)", **{"Retry-After": str(fault.retry_after_s)}))

    def _fault_reset(self, fault: _Fault, normal) -> None:
        # SO_LINGER with a zero timeout turns close() into a RST instead of a FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.rfile.close()
        self.connection.close()

    def _fault_malformed(self, fault: _Fault, normal) -> None:
        self._send(_Answer(200, b'{"orderId": "12345678", "status": "SHIPP'))

    def _fault_oversized(self, fault: _Fault, normal) -> None:
        head = b'{"orderId": "12345678", "status": "SHIPPED", "notes": "'
        tail = b'"}'
        filler = OVERSIZED_BYTES - len(head) - len(tail)
        try:
            self._send_head(_Answer(200, b""), OVERSIZED_BYTES)
            self.wfile.write(head)
            chunk = b"x" * 65536
            while filler > 0:
                self.wfile.write(chunk[:filler])
                filler -= len(chunk)
            self.wfile.write(tail)
        except OSError:
            self.close_connection = True

    def _fault_trickle(self, fault: _Fault, normal) -> None:
        answer = normal()
        try:
            self._send_head(answer, len(answer.body))
            for index in range(len(answer.body)):
                if self.backend._stopping.wait(fault.trickle_interval_ms / 1000.0):
                    self.close_connection = True
                    return
                self.wfile.write(answer.body[index : index + 1])
        except OSError:
            self.close_connection = True
