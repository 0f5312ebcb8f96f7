"""The console's policy-editor actions, served by the deployed engine function (lambda_handler).

    {"action": "export", "policyId": ID}
        → {"source": <running bundle>, "policy": {"spec", "source"} | null}
    {"action": "test", "draft": DRAFT, "knownTypes"?: [...]}
        → {"passed", "failed", "cases": [...], "errors": [...]}   (PAT style, as `posture test`)
    {"action": "evaluate", "draft": DRAFT, "resources": [...], "lookups"?: {...}, "knownTypes"?}
        → the evaluate reply (wire.py) of the draft alone, lookups as the evaluate path does them
    {"action": "evaluate", "bundle": HASH, "resources": [...], "lookups"?: {...}}
        → the evaluate reply of a merged bundle `bundle` staged (the impact preview)
    {"action": "bundle", "draft": DRAFT, "knownTypes"?: [...]}
        → {"diff": <bundle_diff's document>, "staged": KEY | null}

DRAFT is {"spec": {...the spec's fields}, "source": "..."}: one policy, loaded next to the running
pack's global helpers and stored as `console_policies/<Filename>` (the local console's folder).
`bundle` tests the draft first (as `posture upload` does), merges it alone into the running pack
by PolicyID (pack_layers; the globals stay the pack's), diffs the two (bundle_diff) and, when they
differ, stages the merged zip in the policy bucket as $POSTURE_DRAFTS_PREFIX + contentHash +
".zip": the reply stays far below Lambda's 6 MB payload limit whatever the pack's size, and the
console publishes exactly the staged bytes. Any action may answer {"draftError": "one line"}: the draft is invalid,
does not load, its tests fail, or it did not finish in time.

Draft code runs only in a forked child (isolation.confine_child: its own process group, memory
and CPU limits, no AWS credentials) that is killed at DRAFT_SECONDS; its tests and evaluation fork
again per the engine's isolation. The engine process never imports a draft, so a warm container
scans with the pack it had.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

from posture_engine.bundle_diff import diff_loaded
from posture_engine.bundle_zip import build_bundle_zip, read_bundle_zip
from posture_engine.common import describe_exception, one_line
from posture_engine.engine import Engine, compile_specs
from posture_engine.isolation import confine_child, keep_private_fd
from posture_engine.pack_layers import check_paths, merge_packs
from posture_engine.specs import LoadedSpecs, Spec, format_problem, validate_spec
from posture_engine.spec_tests import run_tests

__all__ = ["DRAFTS_PREFIX_ENV", "DRAFT_FOLDER", "DRAFT_SECONDS", "DraftStage", "handle"]

# The policy bucket's prefix for staged bundles (the stack sets it: src/publish/active-bundle.ts).
DRAFTS_PREFIX_ENV = "POSTURE_DRAFTS_PREFIX"
DRAFT_FOLDER = "console_policies"
# A draft action's wall-clock budget (the function's timeout is 3 minutes).
DRAFT_SECONDS = 120.0
ACTIONS = ("export", "test", "evaluate", "bundle")

Reply = dict[str, Any]


class DraftStage:
    """The policy bucket's draft prefix: merged bundles the console previewed, by content hash."""

    def __init__(self, bucket: str, prefix: str, client: Any = None) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._client = client
        self._kept: tuple[str, bytes] | None = None  # the last staged bundle read

    def _s3(self) -> Any:
        if self._client is None:
            import boto3  # type: ignore[import-untyped]  # in the Lambda runtime and .venv

            self._client = boto3.client("s3")
        return self._client

    def key(self, content_hash: str) -> str:
        if len(content_hash) != 64 or any(c not in "0123456789abcdef" for c in content_hash):
            raise ValueError(f"bundle: {content_hash[:80]!r} is not a content hash")
        return f"{self.prefix}{content_hash}.zip"

    def put(self, content_hash: str, data: bytes) -> str:
        key = self.key(content_hash)
        self._s3().put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/zip",
                              Metadata={"content-hash": content_hash})
        return key

    def get(self, content_hash: str) -> bytes:
        if self._kept is not None and self._kept[0] == content_hash:
            return self._kept[1]
        body = self._s3().get_object(Bucket=self.bucket, Key=self.key(content_hash))["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        self._kept = (content_hash, data)
        return data


# ---- the draft ------------------------------------------------------------------------------


def _draft(event: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    draft = event.get("draft")
    if not isinstance(draft, dict) or not isinstance(draft.get("spec"), dict) \
            or not isinstance(draft.get("source"), str):
        raise ValueError('draft must be an object {"spec": {...}, "source": "..."}')
    return draft["spec"], draft["source"]


def _known_types(event: Mapping[str, Any]) -> frozenset[str] | None:
    listed = event.get("knownTypes")
    if listed is None:
        return None
    if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
        raise ValueError("knownTypes must be a list of resource type names")
    return frozenset(listed)


def draft_specs(engine: Engine, spec: Mapping[str, Any], source: str,
                known_types: frozenset[str] | None) -> LoadedSpecs:
    """The draft as a one-policy pack with the running pack's globals (invalid: `errors`)."""
    filename = spec.get("Filename")
    stem = PurePosixPath(filename).stem if isinstance(filename, str) and filename else "draft"
    display = f"{stem}.json"
    globals_ = list(engine.specs.globals) if engine.specs else []
    loaded = LoadedSpecs(globals=globals_, files=[display])
    problems = validate_spec(dict(spec), known_types)
    if not problems and spec.get("AnalysisType") != "policy":
        problems = [("AnalysisType", "must be policy")]
    if not problems and (not str(filename).endswith(".py") or "/" in str(filename)
                         or "\\" in str(filename)):
        problems = [("Filename", f"{filename!r} must be a .py file name without a folder")]
    if problems:
        loaded.errors = [format_problem(display, p) for p in problems]
        return loaded
    loaded.policies = [Spec("policy", str(spec["PolicyID"]), dict(spec), display,
                            f"{DRAFT_FOLDER}/{display}", str(filename), source)]
    return loaded


# ---- the child ------------------------------------------------------------------------------


def _read_reply(fd: int, pid: int, seconds: float) -> Reply:
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            for kill in (os.killpg, os.kill):  # the group (grandchildren too), else the child
                try:
                    kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            os.waitpid(pid, 0)
            return {"draftError": f"the draft did not finish within {seconds:g} s; it was stopped"}
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"draftError": f"the draft's process ended without a reply (status {status})"}
    reply: Reply = json.loads(b"".join(chunks))
    return reply


def in_child(work: Callable[[], Reply], engine: Engine, seconds: float = DRAFT_SECONDS) -> Reply:
    """`work()`'s reply, computed in a confined child killed at `seconds`, never here."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - measured through the parent's reply
        status = 0
        try:
            os.close(read_fd)
            confine_child(engine.limits, seconds)
            keep_private_fd(write_fd)  # the grandchildren that evaluate must not write here
            try:
                reply = work()
            except Exception as exc:  # noqa: BLE001 - the draft's failure is the reply
                reply = {"draftError": describe_exception(exc)}
            data = memoryview(json.dumps(reply, default=str).encode())
            while data:
                data = data[os.write(write_fd, data):]
        except BaseException:  # noqa: BLE001 - nothing may unwind into the engine's handler
            status = 1
        os._exit(status)
    os.close(write_fd)
    try:
        return _read_reply(read_fd, pid, seconds)
    finally:
        os.close(read_fd)


# ---- the actions ----------------------------------------------------------------------------


def _export(engine: Engine, event: Mapping[str, Any]) -> Reply:
    policy_id = event.get("policyId")
    if not isinstance(policy_id, str) or not policy_id:
        raise ValueError("policyId must be a non-empty string")
    policies = engine.specs.policies if engine.specs else []
    spec = next((s for s in policies if s.ident == policy_id), None)
    return {"source": engine.version,
            "policy": None if spec is None else {"spec": dict(spec.data), "source": spec.source}}


def _test_reply(engine: Engine, loaded: LoadedSpecs) -> Reply:
    """Runs in the child: the draft's tests as `posture test` runs them."""
    if loaded.errors:
        return {"passed": 0, "failed": 0, "cases": [], "errors": loaded.errors}
    policies, errors = compile_specs(loaded)
    ident = loaded.policies[0].ident
    mine = [p for p in policies if p.policy_id == ident]
    cases = run_tests(mine, policies, engine.timeout, engine.limits).get(ident, []) if mine else []
    return {"passed": sum(c.passed for c in cases), "failed": sum(not c.passed for c in cases),
            "cases": [{"name": c.name, "expected": c.expected, "passed": c.passed,
                       "status": c.status, "title": c.title, "problems": c.problems}
                      for c in cases],
            "errors": errors}


def _test(engine: Engine, event: Mapping[str, Any]) -> Reply:
    loaded = draft_specs(engine, *_draft(event), _known_types(event))
    return in_child(lambda: _test_reply(engine, loaded), engine)


def _resources(event: Mapping[str, Any]) -> tuple[list[Any], Any]:
    resources = event.get("resources")
    if not isinstance(resources, list):
        raise ValueError('event must carry "resources": [...]')
    return resources, event.get("lookups")


def _evaluate(engine: Engine, event: Mapping[str, Any], stage: DraftStage | None) -> Reply:
    resources, lookups = _resources(event)
    if "bundle" in event:
        content_hash = str(event["bundle"])
        if stage is None:
            raise ValueError("no policy bucket is configured: nothing is staged")
        loaded, manifest = read_bundle_zip(stage.get(content_hash), stage.key(content_hash))
        if manifest["contentHash"] != content_hash or loaded.errors:
            raise ValueError(f"{stage.key(content_hash)}: not the staged bundle "
                             f"{content_hash[:12]}")

        def merged() -> Reply:
            staged = Engine.from_specs(loaded, engine.timeout, content_hash)
            return {**staged.reply(resources, lookups=lookups), "bundleVersion": content_hash}

        return in_child(merged, engine)
    loaded = draft_specs(engine, *_draft(event), _known_types(event))

    def alone() -> Reply:
        if loaded.errors:
            return {"draftError": loaded.errors[0]}
        policies, errors = compile_specs(loaded)
        if errors:
            return {"draftError": errors[0]}
        ident = loaded.policies[0].ident
        draft = Engine([p for p in policies if p.policy_id == ident], (), engine.timeout, None,
                       engine.limits)
        return draft.reply(resources, lookups=lookups)

    return in_child(alone, engine)


def _bundle(engine: Engine, event: Mapping[str, Any], stage: DraftStage | None) -> Reply:
    if engine.specs is None or engine.manifest is None:
        raise ValueError("the running pack was not loaded from a bundle: nothing to merge into")
    loaded = draft_specs(engine, *_draft(event), _known_types(event))
    # As `posture upload`: an invalid draft or a failing test publishes nothing.
    tested = in_child(lambda: _test_reply(engine, loaded), engine)
    if "draftError" in tested:
        return tested
    problems = [*tested["errors"], *(f"{c['name']}: {'; '.join(c['problems']) or c['status']}"
                                     for c in tested["cases"] if not c["passed"])]
    if problems:
        return {"draftError": f"the draft is invalid or its tests fail: {one_line(problems[0])}"}
    overlay = LoadedSpecs(policies=loaded.policies)
    merged = merge_packs(engine.specs, overlay)
    check_paths(merged, overlay)
    data, manifest = build_bundle_zip(merged.specs,
                                      listed_requirements=engine.manifest.get("requirements") or [])
    diff = diff_loaded(engine.specs, engine.manifest, merged.specs, manifest)
    staged = None
    if diff["newHash"] != diff["oldHash"]:
        if stage is None:
            raise ValueError("no policy bucket is configured: the merged bundle cannot be staged")
        staged = stage.put(str(manifest["contentHash"]), data)
    return {"diff": diff, "staged": staged}


def handle(event: Mapping[str, Any], engine: Engine, stage: DraftStage | None) -> Reply:
    """One console action (event["action"] in ACTIONS) on the running pack `engine`."""
    action = event.get("action")
    try:
        if action == "export":
            return _export(engine, event)
        if action == "test":
            return _test(engine, event)
        if action == "evaluate":
            return _evaluate(engine, event, stage)
        if action == "bundle":
            return _bundle(engine, event, stage)
    except ValueError as exc:
        return {"draftError": one_line(exc)}
    raise ValueError(f"action must be one of catalog, {', '.join(ACTIONS)}; got {action!r}")
