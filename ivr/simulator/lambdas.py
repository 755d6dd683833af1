"""Running our real Lambda handlers in-process, the way Connect would call them.

A Lambda ARN of a local run names the handler folder (`lambdas/<folder>/handler.py`, function
`lambda_handler`). Each invocation runs in a worker thread with a deadline of the block's
InvocationTimeLimitSeconds: an exception, a run past the deadline or an answer Connect would
refuse all take the block's error branch, as in Connect.

Every invocation starts the function cold (`reset()`): its modules are imported afresh, so
in-memory caches, circuit breakers and environment read at import never leak from one call (or
function) to the next. What handlers print (logs, EMF metrics) is kept with the invocation
instead of mixing with the transcript.

A function that has no code here (another team's Lambda, named by its ARN in an imported flow)
answers from a stub: `stubs` maps a name (the function's name, its ARN, or the placeholder a flow
writes) to the response it gives, checked as Connect checks a real answer. Without one, the
invocation fails and the block takes its error branch.
"""
from __future__ import annotations

import gc
import importlib
import importlib.util
import io
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_RESPONSE_BYTES = 32 * 1024
LOCAL_NAME_PREFIX = "ivr-local-"  # the same stand-in name ivr.simulator.flows gives a function

OK = "ok"
ERROR = "error"
TIMEOUT = "timeout"
MISSING = "missing"
INVALID = "invalid-response"


@dataclass
class Invocation:
    outcome: str
    response: dict[str, Any] | None
    error: str | None
    elapsed_ms: int
    logs: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome == OK


class LambdaContext:
    """The parts of the Lambda context object handlers and Powertools read."""

    def __init__(self, function_name: str, arn: str, time_limit_seconds: float, memory_mb: int = 256):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = f"local/{self.aws_request_id}"
        self._deadline = time.monotonic() + time_limit_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class _ThreadCapture(io.TextIOBase):
    """Stands in for sys.stdout or sys.stderr: what a handler thread prints (logs, EMF metrics) is
    kept for its invocation instead of mixing with the transcript; other threads write through
    to the stream it replaced or, once removed, to the current one. One instance per stream for
    the process, so a logger that keeps a reference to it stays captured in later calls."""

    def __init__(self, name: str):
        self.name = name
        self.target: Any = None  # the stream it replaced, while installed
        self._local = threading.local()

    def _through(self) -> Any:
        current = getattr(sys, self.name)
        return self.target or (current if current is not self else getattr(sys, f"__{self.name}__"))

    def begin(self) -> None:
        self._local.buffer = io.StringIO()

    def end(self) -> str:
        buffer = getattr(self._local, "buffer", None)
        self._local.buffer = None
        return buffer.getvalue() if buffer else ""

    def write(self, text: str) -> int:
        buffer = getattr(self._local, "buffer", None)
        return buffer.write(text) if buffer is not None else self._through().write(text)

    def flush(self) -> None:
        if getattr(self._local, "buffer", None) is None:
            self._through().flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._through(), "encoding", "utf-8")


_CAPTURES = (_ThreadCapture("stdout"), _ThreadCapture("stderr"))


class OutputCapture:
    """Installs the capturing streams for as long as it is entered (nesting is harmless)."""

    def __enter__(self) -> OutputCapture:
        self._installed = [c for c in _CAPTURES if getattr(sys, c.name) is not c]
        for capture in self._installed:
            capture.target = getattr(sys, capture.name)
            setattr(sys, capture.name, capture)
        return self

    def __exit__(self, *exc: Any) -> None:
        for capture in self._installed:
            if getattr(sys, capture.name) is capture:
                setattr(sys, capture.name, capture.target)
            capture.target = None
        self._installed = []


def _end_of_containers() -> None:
    """A function freezes what is alive after its first read (gc.freeze, lambdas.common.deadline), once
    per container. Here containers come and go in one process, and each cold start would freeze again,
    keeping every reference cycle of the containers gone before (botocore sessions, ~10 MB a call) for
    ever: what they froze is given back to the collector when they go."""
    gc.unfreeze()


def _begin_capture() -> None:
    for capture in _CAPTURES:
        capture.begin()


def _end_capture() -> str:
    return "".join(capture.end() for capture in _CAPTURES)


class LocalLambdas:
    """Calls `lambdas.<folder>.handler.lambda_handler` with a Connect event and a deadline.

    `environment(folder)` gives the variables the function has in AWS (set before its module is
    imported and before each call); `before_invoke(folder, module)` may adjust the module (the
    simulator points the function's clock at the simulated time there).
    """

    def __init__(
        self,
        package: str = "lambdas",
        environment: Callable[[str], Mapping[str, str]] | None = None,
        before_invoke: Callable[[str, Any], None] | None = None,
        stubs: Mapping[str, Any] | None = None,
    ):
        self.package = package
        self.environment = environment or (lambda folder: {})
        self.before_invoke = before_invoke
        self.stubs = dict(stubs or {})
        self._running: list[threading.Thread] = []

    def stub(self, folder: str, arn: str) -> tuple[str, Any] | None:
        """(name, response) of the stub standing for this function, when one does."""
        function = arn.split(":function:")[-1].split(":")[0] if ":function:" in arn else arn
        for name in (folder, arn, function, function.removeprefix(LOCAL_NAME_PREFIX), arn.strip("{} ")):
            if name and name in self.stubs:
                return name, self.stubs[name]
        return None

    def module_name(self, folder: str) -> str:
        return f"{self.package}.{folder}.handler"

    def available(self, folder: str) -> bool:
        if not folder.replace("_", "").isalnum():
            return False
        try:
            return importlib.util.find_spec(self.module_name(folder)) is not None
        except (ImportError, ValueError):
            return False

    def _ours(self) -> list[str]:
        prefix = self.package + "."
        return [name for name in sys.modules if name.startswith(prefix)]

    def reset(self, grace_seconds: float = 0.0) -> None:
        """Forget the functions' modules: the next invocation starts cold. Handlers still running
        are given `grace_seconds` to finish first."""
        self.wait(grace_seconds)
        for name in self._ours():
            del sys.modules[name]
        _end_of_containers()

    def __enter__(self) -> LocalLambdas:
        """For one call (or a test): remember the modules as they are and capture what handlers
        print; on exit, wait for handlers still running, then give everyone their modules back."""
        self._saved = {name: sys.modules[name] for name in self._ours()}
        self._capture = OutputCapture().__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.wait(10.0)
        self._capture.__exit__()
        for name in self._ours():
            del sys.modules[name]
        _end_of_containers()
        sys.modules.update(self._saved)
        for name, module in sorted(self._saved.items()):
            parent, _, child = name.rpartition(".")
            if parent in sys.modules:
                setattr(sys.modules[parent], child, module)

    def wait(self, seconds: float) -> None:
        """Let handlers that overran their deadline finish (they are never killed)."""
        deadline = time.monotonic() + seconds
        for thread in self._running:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._running = [t for t in self._running if t.is_alive()]

    def start(self, folder: str, event: Mapping[str, Any], time_limit_seconds: float, arn: str = "") -> Running:
        """Start the handler in a worker thread; `Running.result(wait)` collects its answer."""
        if not self.available(folder):
            stub = self.stub(folder, arn)
            if stub is not None:
                return Running(stubbed=stub, time_limit_seconds=time_limit_seconds)
            return Running(error=f"no local code or stub for Lambda {arn or folder} (give one with "
                                 f"--lambda-stub NAME=FILE.json)")
        os.environ.update(self.environment(folder))
        if not any(thread.is_alive() for thread in self._running):
            self.reset()  # a cold start, as each function runs in its own container in AWS
        # else a handler is still running (asynchronous, or past its deadline): forgetting modules
        # now could break an import in its thread, so this one starts warm.
        outcome: dict[str, Any] = {}
        context = LambdaContext(f"{LOCAL_NAME_PREFIX}{folder}", arn, time_limit_seconds)

        def run() -> None:
            _begin_capture()
            started = time.monotonic()
            try:
                module = importlib.import_module(self.module_name(folder))
                if self.before_invoke:
                    self.before_invoke(folder, module)
                outcome["response"] = module.lambda_handler(event, context)
            except BaseException as error:  # noqa: BLE001 - Connect sees any failure the same way
                outcome["error"] = f"{type(error).__name__}: {error}"
            finally:
                outcome["elapsed"] = time.monotonic() - started
                outcome["logs"] = _end_capture()

        thread = threading.Thread(target=run, name=f"lambda-{folder}", daemon=True)
        self._running.append(thread)
        thread.start()
        return Running(thread, outcome, time_limit_seconds)

    def invoke(self, folder: str, event: Mapping[str, Any], time_limit_seconds: float, arn: str = "",
               response_type: str = "STRING_MAP") -> Invocation:
        """Call the handler and wait for it as Connect does: at most `time_limit_seconds`."""
        return self.start(folder, event, time_limit_seconds, arn).result(time_limit_seconds, response_type)


@dataclass
class Running:
    """A handler started in a worker thread (or one that could not start: `error`)."""

    thread: threading.Thread | None = None
    outcome: dict[str, Any] = field(default_factory=dict)
    time_limit_seconds: float = 0.0
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    stubbed: tuple[str, Any] | None = None  # (stub name, the response it gives)

    def result(self, wait_seconds: float, response_type: str = "STRING_MAP") -> Invocation:
        if self.stubbed is not None:
            name, answer = self.stubbed
            response, problem = check_response(answer, response_type)
            if problem:
                return Invocation(INVALID, None, f"stub {name}: {problem}", 0)
            return Invocation(OK, response, None, 0, f"(answered by the stub {name})")
        if self.thread is None:
            return Invocation(MISSING, None, self.error, 0)
        self.thread.join(max(0.0, self.started + wait_seconds - time.monotonic()))
        elapsed_ms = int((time.monotonic() - self.started) * 1000)
        if self.thread.is_alive():
            return Invocation(TIMEOUT, None, f"no answer within InvocationTimeLimitSeconds={self.time_limit_seconds:g}", elapsed_ms)
        logs = self.outcome.get("logs", "")
        elapsed_ms = int(self.outcome.get("elapsed", 0) * 1000)
        if elapsed_ms > self.time_limit_seconds * 1000:
            return Invocation(TIMEOUT, None, f"answered after {elapsed_ms} ms, past InvocationTimeLimitSeconds="
                              f"{self.time_limit_seconds:g}", elapsed_ms, logs)
        if "error" in self.outcome:
            return Invocation(ERROR, None, f"the function raised {self.outcome['error']}", elapsed_ms, logs)
        response, problem = check_response(self.outcome.get("response"), response_type)
        if problem:
            return Invocation(INVALID, None, problem, elapsed_ms, logs)
        return Invocation(OK, response, None, elapsed_ms, logs)



def check_response(response: Any, response_type: str = "STRING_MAP") -> tuple[dict[str, Any] | None, str | None]:
    """The answer as Connect would keep it in $.External, or why Connect would refuse it."""

    if not isinstance(response, Mapping):
        return None, f"the function answered {type(response).__name__}, not a map"
    try:
        size = len(json.dumps(response, default=str).encode())
    except (TypeError, ValueError) as error:
        return None, f"the answer is not JSON: {error}"
    if size > MAX_RESPONSE_BYTES:
        return None, f"the answer is {size} bytes, over Connect's 32 KB"
    if response_type == "JSON":
        return dict(response), None
    flat: dict[str, Any] = {}
    for key, value in response.items():
        if isinstance(value, (Mapping, list, tuple)):
            return None, f"the answer's '{key}' is nested: a STRING_MAP answer must be flat"
        flat[str(key)] = "" if value is None else (("true" if value else "false") if isinstance(value, bool) else str(value))
    return flat, None
