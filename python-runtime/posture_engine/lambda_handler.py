"""Lambda entry point: {"resources": [...]} → {"results": [...], "bundleVersion": "<sha256>"}.

The bundle (built by posture_engine.build_layer, shipped in the layer) is loaded once per
container from $POSTURE_BUNDLE (default /opt/posture/bundle.json); the per-call time limit
comes from $POSTURE_POLICY_TIMEOUT (seconds, default 1).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from posture_engine.engine import DEFAULT_TIMEOUT, Engine

__all__ = ["DEFAULT_BUNDLE", "handler"]

DEFAULT_BUNDLE = "/opt/posture/bundle.json"

_engine: Engine | None = None


def _load_engine() -> Engine:
    global _engine
    if _engine is None:
        timeout = float(os.environ.get("POSTURE_POLICY_TIMEOUT") or DEFAULT_TIMEOUT)
        engine = Engine.from_bundle_file(os.environ.get("POSTURE_BUNDLE") or DEFAULT_BUNDLE,
                                         timeout)
        # build_layer rejects invalid specs, so errors here mean the runtime differs (e.g. a
        # missing vendored dependency): log them where operators look.
        for error in engine.errors:
            print(f"posture: policy not loaded: {error}", file=sys.stderr)
        _engine = engine
    return _engine


def handler(event: Any, context: Any) -> dict[str, Any]:
    if not isinstance(event, dict) or not isinstance(event.get("resources"), list):
        raise ValueError('event must be an object {"resources": [...]}')
    engine = _load_engine()
    results = engine.evaluate(event["resources"])
    return {"results": results, "bundleVersion": engine.version}
