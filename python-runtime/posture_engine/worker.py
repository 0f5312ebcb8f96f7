"""Long-lived JSON-lines worker for the TypeScript local runtime.

    python -m posture_engine.worker (--policies DIR [DIR...] | --bundle-zip FILE)
        [--resource-types A,B] [--known-types C,D] [--timeout S]

With --policies and the active-bundle environment (POSTURE_ACTIVE_BUNDLE_BUCKET/KEY, see
active_bundle), an uploaded bundle replaces the directories exactly as in the engine Lambda,
checked at most once per POSTURE_BUNDLE_TTL; --bundle-zip evaluates one bundle file only
(`posture upload` computing the impact of a bundle before publishing it).

Policies run in a forked evaluation worker per request (see isolation): a policy that ends or
hangs its worker gets ERROR for its pair and the request is still answered. Replies go out on
a private duplicate of the original stdout that the evaluation workers do not inherit; fd 1
itself points at stderr, so anything else written to stdout lands in the log.

First line out: {"ready": true, "policies": [...], "errors": [...], "targets": {...}, "names": {...}}
(targets: each enabled policy's ResourceTypes, so the caller can say which of them it does not
scan; names: each enabled policy's DisplayName or null, for the caller's summaries; deselected:
the policies `$POSTURE_REPORTS_DESELECT` leaves out, see reports_select). Then
one reply line per request line {"id": N, "resources": [...], "lookups"?: {...}}: {"id": N,
"policies": {...}, "results": [...], "next"?: K, "retry"?: [...]} (wire.py; lookups: see
lookup); when a request cannot be served, {"id": N or null, "error": "..."}. EOF on stdin ends the worker (exit 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from posture_engine.active_bundle import ActiveBundle, active_from_env
from posture_engine.common import known_types_of, one_line
from posture_engine.engine import DEFAULT_TIMEOUT, Engine
from posture_engine.isolation import keep_private_fd

__all__ = ["handle_line", "main"]


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def _protocol_stream() -> TextIO:
    """A private handle on the real stdout; fd 1 itself then points at stderr.

    Whatever else writes to stdout (a policy's print, a C extension, a subprocess) lands in
    the log instead of corrupting the protocol.
    """
    sys.stdout.flush()
    fd = os.dup(1)
    keep_private_fd(fd)  # closed in the evaluation workers: policies never see it
    protocol = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
    os.dup2(2, 1)
    return protocol


def handle_line(engine: Engine | Callable[[], Engine], line: str) -> dict[str, Any]:
    """The reply to one request line (`engine` may be a function giving the current one)."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(request, dict):
        return {"id": None, "error": "a request must be a JSON object"}
    request_id = request.get("id")
    if not isinstance(request_id, int) or isinstance(request_id, bool):
        return {"id": None, "error": "a request needs an integer id"}
    if "resources" not in request:
        return {"id": request_id, "error": "a request needs a resources list"}
    try:
        current = engine if isinstance(engine, Engine) else engine()
        return {"id": request_id, **current.reply(request["resources"],
                                                 lookups=request.get("lookups"))}
    except ValueError as exc:
        return {"id": request_id, "error": one_line(exc)}
    except Exception as exc:  # noqa: BLE001 - an engine fault must not end the worker
        return {"id": request_id, "error": f"internal error: {type(exc).__name__}: {one_line(exc)}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.worker",
                                     description="Posture policy engine worker (JSON lines).")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--policies", nargs="+", metavar="DIR")
    source.add_argument("--bundle-zip", metavar="FILE", help="a bundle written by posture bundle")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C",
                        help="scanned resource types; specs naming others are invalid")
    parser.add_argument("--known-types", default=None, metavar="A,B,C",
                        help="Panther-documented types that are not scanned (still valid)")
    parser.add_argument("--timeout", type=_positive, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit per policy call (default {DEFAULT_TIMEOUT})")
    args = parser.parse_args(argv)

    protocol = _protocol_stream()

    def send(message: dict[str, Any]) -> None:
        try:
            text = json.dumps(message, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:  # never leave the caller waiting for a reply
            text = json.dumps({"id": message.get("id"), "error": f"cannot encode reply: {exc}"})
        protocol.write(text + "\n")
        protocol.flush()

    if args.bundle_zip:
        engine = Engine.from_bundle_zip(Path(args.bundle_zip).read_bytes(), args.timeout,
                                        args.bundle_zip)
        current: Callable[[], Engine] = lambda: engine  # noqa: E731
    else:
        engine = Engine.from_directories(
            args.policies, known_types_of(args.resource_types, args.known_types), args.timeout)
        active = active_from_env(timeout=args.timeout)
        current = engine_with_active(engine, active) if active else (lambda: engine)
    send({"ready": True, "policies": engine.enabled_policy_ids, "errors": engine.errors,
          "targets": {p.policy_id: list(p.resource_types) for p in engine.policies if p.enabled},
          "names": {p.policy_id: p.text("DisplayName") for p in engine.policies if p.enabled},
          "deselected": engine.deselected_policy_ids})
    for line in sys.stdin:
        if line.strip():
            send(handle_line(current, line))
    return 0


def engine_with_active(built_in: Engine, active: ActiveBundle) -> Callable[[], Engine]:
    """The uploaded bundle while there is one, else the directories' engine."""
    def current() -> Engine:
        return active.engine() or built_in
    return current


if __name__ == "__main__":
    sys.exit(main())
