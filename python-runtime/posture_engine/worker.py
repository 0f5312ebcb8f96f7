"""Long-lived JSON-lines worker for the TypeScript local runtime.

    python -m posture_engine.worker --policies DIR [DIR...] [--resource-types A,B] [--timeout S]

First line out: {"ready": true, "policies": [...], "errors": [...]}. Then one reply line per
request line {"id": N, "resources": [...]}: {"id": N, "results": [...]} or, for a request that
cannot be served, {"id": N or null, "error": "..."}. EOF on stdin ends the worker (exit 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from posture_engine.common import one_line, parse_resource_types
from posture_engine.engine import DEFAULT_TIMEOUT, Engine

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
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
    os.dup2(2, 1)
    return protocol


def handle_line(engine: Engine, line: str) -> dict[str, Any]:
    """The reply to one request line."""
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
        return {"id": request_id, "results": engine.evaluate(request["resources"])}
    except ValueError as exc:
        return {"id": request_id, "error": one_line(exc)}
    except Exception as exc:  # noqa: BLE001 - an engine fault must not end the worker
        return {"id": request_id, "error": f"internal error: {type(exc).__name__}: {one_line(exc)}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.worker",
                                     description="Posture policy engine worker (JSON lines).")
    parser.add_argument("--policies", nargs="+", required=True, metavar="DIR")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C",
                        help="known resource types; specs naming others are invalid")
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

    engine = Engine.from_directories(args.policies, parse_resource_types(args.resource_types),
                                     args.timeout)
    send({"ready": True, "policies": engine.enabled_policy_ids, "errors": engine.errors})
    for line in sys.stdin:
        if line.strip():
            send(handle_line(engine, line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
