"""Lambda entry point: {"resources": [...], "lookups"?: {id: attributes | null}} →
{"policies": {...}, "results": [...], "next"?: N, "retry"?: [{index, lookups}],
"bundleVersion": "<sha256>"} (the compact reply of wire.py, under 4 MB; lookups: see lookup).
{"action": "catalog"} → the running pack's policy catalog (catalog.py's shape, `source` = the
bundle version): what the console lists, from the bundle the engine actually evaluates with.
{"action": "export" | "test" | "evaluate" | "bundle", ...} → the console's policy-editor actions
on a draft (console_actions: drafts run only in a confined child; merged bundles are staged
in the policy bucket under `$POSTURE_DRAFTS_PREFIX`). They check the uploaded bundle's key
first, whatever the TTL, as the catalog does (the console keeps it for the TTL itself), so a
preview and its publish see the pack that is active now.

An uploaded bundle comes first: with `$POSTURE_ACTIVE_BUNDLE_BUCKET` + `$POSTURE_ACTIVE_BUNDLE_KEY`
set (the stack's policy bucket and its fixed key), that object is checked at most once per
`$POSTURE_BUNDLE_TTL` seconds (default 30) by its listed ETag (see active_bundle), so
`posture upload` takes effect without a redeploy. While nothing is uploaded there, the built-in
bundle is used; it is loaded once per container, from the first source configured:

1. `$POSTURE_BUNDLE_BUCKET` + `$POSTURE_BUNDLE_KEY` (+ optional `$POSTURE_BUNDLE_VERSION`, an
   S3 object version id): the zip written by `posture bundle`, downloaded and verified against
   its manifest; bundleVersion is the manifest's contentHash.
2. Otherwise the bundle zip shipped in the layer by posture_engine.build_layer (the same format),
   at `$POSTURE_BUNDLE` (default /opt/posture/bundle.zip).

A load that fails (S3 unreachable, a bundle whose hashes do not match) fails the invocation
and is retried by the next one; it is never replaced by a different bundle silently. The
per-call time limit comes from `$POSTURE_POLICY_TIMEOUT` (seconds, default 1). The stack's
framework choice (`-c posture:frameworks`) comes as `$POSTURE_REPORTS_DESELECT`: every engine
built here, from the built-in or an uploaded bundle, disables the policies it leaves out
(reports_select). Each invocation's
resources are evaluated in a forked worker process killed on a wall-clock deadline and
replaced (isolation: `$POSTURE_POLICY_GRACE`, `$POSTURE_POLICY_MEMORY_MB`, `$POSTURE_ISOLATION`),
so a policy that exits, hangs in C code or patches shared state costs ERROR for its own pairs,
never the invocation.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from posture_engine.active_bundle import ActiveBundle, active_from_env
from posture_engine.catalog import catalog_entry
from posture_engine.console_actions import ACTIONS, DRAFTS_PREFIX_ENV, DraftStage
from posture_engine.console_actions import handle as console_action
from posture_engine.engine import DEFAULT_TIMEOUT, Engine
from posture_engine.s3_bundle import fetch_bundle, location_from_env

__all__ = ["DEFAULT_BUNDLE", "handler"]

DEFAULT_BUNDLE = "/opt/posture/bundle.zip"

_engine: Engine | None = None
# The uploaded-bundle watcher; False until the environment was read (None: not configured).
_active: ActiveBundle | None | bool = False
_stage: DraftStage | None = None


def _timeout() -> float:
    return float(os.environ.get("POSTURE_POLICY_TIMEOUT") or DEFAULT_TIMEOUT)


def _current_engine(fresh: bool = False) -> Engine:
    """The uploaded bundle's engine when there is one, else the built-in one."""
    global _active
    if _active is False:
        _active = active_from_env(timeout=_timeout())
    if isinstance(_active, ActiveBundle):
        uploaded = _active.engine(fresh)
        if uploaded is not None:
            return uploaded
    return _load_engine()


def _load_engine() -> Engine:
    global _engine
    if _engine is None:
        timeout = _timeout()
        location = location_from_env()
        if location is not None:
            engine = Engine.from_bundle_zip(fetch_bundle(location), timeout, str(location))
            source = str(location)
        else:
            source = os.environ.get("POSTURE_BUNDLE") or DEFAULT_BUNDLE
            engine = Engine.from_bundle_file(source, timeout)
        left_out = engine.deselected_policy_ids
        print(f"posture: loaded bundle {engine.version} from {source}: "
              f"{len(engine.enabled_policy_ids)} enabled policies"
              f"{f', {len(left_out)} left out by the frameworks chosen' if left_out else ''}",
              file=sys.stderr)
        # Bundles are validated and tested when built, so errors here mean the runtime differs
        # (e.g. a dependency missing from the layer): log them where operators look.
        for error in engine.errors:
            print(f"posture: policy not loaded: {error}", file=sys.stderr)
        _engine = engine
    return _engine


def _draft_stage() -> DraftStage | None:
    """The policy bucket's draft prefix (kept per container: it keeps the last staged bundle)."""
    global _stage
    prefix = os.environ.get(DRAFTS_PREFIX_ENV) or ""
    if _stage is None and isinstance(_active, ActiveBundle) and prefix:
        _stage = DraftStage(_active.location.bucket, prefix)
    return _stage


def handler(event: Any, context: Any) -> dict[str, Any]:
    if isinstance(event, dict) and event.get("action") == "catalog":
        engine = _current_engine(fresh=True)
        entries = sorted((catalog_entry(p.spec, p.selected) for p in engine.policies),
                         key=lambda e: e["policyId"])
        return {"source": engine.version, "policies": entries}
    if isinstance(event, dict) and event.get("action") in ACTIONS:
        engine = _current_engine(fresh=True)
        return console_action(event, engine, _draft_stage())
    if not isinstance(event, dict) or not isinstance(event.get("resources"), list):
        raise ValueError('event must be an object {"resources": [...]}')
    engine = _current_engine()
    return {**engine.reply(event["resources"], lookups=event.get("lookups")),
            "bundleVersion": engine.version}
