"""A TCP proxy on loopback in front of moto's server that stalls the HTTP requests a test picks.

Real sockets, no mocks: the client under test sees an endpoint that accepts its connection and
then, for a picked request,
- HANG: never forwards it and never answers (a hung endpoint: nothing reaches DynamoDB);
- LOSE_ANSWER: forwards it, so moto carries it out, and never delivers the answer (DynamoDB
  frozen between the write and its answer: the write landed, the client cannot know).
Every other request passes both ways. `pick(request_bytes)` returns PASS, HANG or LOSE_ANSWER;
`picked` lists the first line and target of every stalled request, for the test to check.
"""
from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

PASS, HANG, LOSE_ANSWER = "pass", "hang", "lose_answer"


def target(request: bytes) -> str:
    """The API a request calls: its X-Amz-Target (DynamoDB) or Action= (query APIs like STS)."""
    found = re.search(rb"(?im)^x-amz-target:\s*\S+?\.(\w+)", request) or re.search(rb"Action=(\w+)", request)
    return found[1].decode() if found else ""


class StallingProxy:
    def __init__(self, upstream: str, pick: Callable[[bytes], str] = lambda request: PASS) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.pick = pick
        self.picked: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self) -> None:
        self._closed.set()
        for sock in [self._listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._sockets.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            while True:
                request = _read_message(client)
                if request is None:
                    return
                how = self.pick(request)
                if how != PASS:
                    self.picked.append(f"{how} {target(request)}")
                if how == HANG:
                    _wait_until_closed(client)
                    return
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                    self._sockets.append(upstream)
                upstream.sendall(request)
                answer = _read_message(upstream)
                if answer is None:
                    return
                if how == LOSE_ANSWER:
                    _wait_until_closed(client)
                    return
                client.sendall(answer)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()


def _read_message(sock: socket.socket) -> bytes | None:
    """One HTTP/1.1 request or response (headers, then a Content-Length or chunked body); None at EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if length:
        while len(body) < int(length[1]):
            chunk = sock.recv(65536)
            if not chunk:
                return None
            body += chunk
    elif re.search(rb"(?im)^transfer-encoding:\s*chunked", head):
        while not body.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                return None
            body += chunk
    return head + b"\r\n\r\n" + body


def _wait_until_closed(sock: socket.socket) -> None:
    """Say nothing until the other side gives up and closes."""
    while True:
        try:
            if not sock.recv(65536):
                return
        except OSError:
            return
