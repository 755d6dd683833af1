"""Run the fake customer backend on its own: `python -m fake_backend --port 8080 --fault hang`."""
from __future__ import annotations

import argparse
import signal
import sys
import threading

from fake_backend.server import (
    DEFAULT_API_KEY,
    DEFAULT_LATENCY_MS,
    DEFAULT_RETRY_AFTER_S,
    FAULT_ALIASES,
    FakeBackend,
    fault_names,
    resolve_fault,
)


def _fault(name: str) -> str:
    try:
        return resolve_fault(name)
    except ValueError:
        raise argparse.ArgumentTypeError(f"unknown fault {name!r} (choose from {', '.join(fault_names())})") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fake_backend",
        description="Serve the customer backend contract (fake_backend/openapi.yaml) from seed data, "
        "optionally with a fault on every request. A request can pick its own fault with the "
        "header X-Fake-Fault.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind, 0 for any free port (default 8080)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help=f"expected x-api-key (default {DEFAULT_API_KEY})")
    parser.add_argument("--seed", help="JSON file of orders and customers (default: the bundled seed_data.json)")
    shorthands = ", ".join(f"{alias} = {name}" for alias, name in FAULT_ALIASES.items())
    parser.add_argument("--fault", type=_fault, metavar="FAULT",
                        help=f"fault injected into every request: one of {', '.join(fault_names())} ({shorthands})")
    parser.add_argument("--latency-ms", type=int, default=DEFAULT_LATENCY_MS, help="delay of the latency fault")
    parser.add_argument("--retry-after-s", type=int, default=DEFAULT_RETRY_AFTER_S, help="Retry-After of the *_retry_after faults")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)

    backend = FakeBackend(api_key=args.api_key, seed=args.seed, host=args.host, port=args.port, verbose=not args.quiet)
    try:
        backend.start()
    except OSError as error:
        print(f"fake backend: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    if args.fault:
        backend.set_fault(args.fault, latency_ms=args.latency_ms, retry_after_s=args.retry_after_s)
    print(
        f"Fake customer backend on {backend.url} (x-api-key: {args.api_key}, "
        f"fault: {args.fault or 'none'}). Ctrl-C to stop.",
        flush=True,
    )
    # Ctrl-C stops it even when started with SIGINT ignored (a background job of a shell without job control).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopping the fake backend.", flush=True)
    finally:
        backend.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
