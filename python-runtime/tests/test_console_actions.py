"""The engine function's policy-editor actions (console_actions via lambda_handler): export a
policy of the running pack, run a draft's tests, evaluate a draft, merge it into the pack (staged
in the policy bucket, moto S3) and evaluate the staged bundle. A draft's code runs only in a
confined child: what it does at import never reaches the engine process."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Pack, bucket, full_results

from posture_engine import lambda_handler
from posture_engine.bundle_zip import build_bundle_zip, read_bundle_zip
from posture_engine.console_actions import DraftStage, handle
from posture_engine.engine import Engine
from posture_engine.specs import load_specs

BUCKET = "posture-policies"
ACTIVE = "policies/active.zip"
DRAFTS_PREFIX = "policies/drafts/"
HELPER = "def encrypted(r):\n    return r.get('EncryptionRules') is not None\n"
ENCRYPTED = "from policy_helpers import encrypted\n\ndef policy(r):\n    return encrypted(r)\n"
NAMED = "def policy(r):\n    return r.get('Name') != 'bad'\n"
TESTS = [{"Name": "encrypted", "ExpectedResult": True, "Resource": bucket(EncryptionRules=[{}])},
         {"Name": "plain", "ExpectedResult": False, "Resource": bucket()}]


def running_pack(root: Path) -> tuple[bytes, Engine]:
    """A bundle with a global helper and two policies, and the engine loaded from it."""
    pack = Pack(root)
    pack.global_("policy_helpers", HELPER)
    pack.policy("encrypted", ENCRYPTED, Tests=TESTS)
    pack.policy("named", NAMED)
    data, _ = build_bundle_zip(load_specs([str(root)]))
    return data, Engine.from_bundle_zip(data, 1.0, "test")


def draft(source: str, **fields: Any) -> dict[str, Any]:
    spec = {"AnalysisType": "policy", "Filename": "encrypted.py", "PolicyID": "Test.encrypted",
            "Severity": "High", "ResourceTypes": ["AWS.S3.Bucket"], "Tests": TESTS, **fields}
    return {"spec": spec, "source": source}


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return running_pack(tmp_path / "pack")[1]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from moto import mock_aws  # type: ignore[import-untyped]
    import boto3  # type: ignore[import-untyped]

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


def test_export_gives_the_running_packs_spec_and_source(engine: Engine) -> None:
    reply = handle({"action": "export", "policyId": "Test.named"}, engine, None)
    assert reply["source"] == engine.version
    assert reply["policy"]["source"] == NAMED
    assert reply["policy"]["spec"]["PolicyID"] == "Test.named"
    assert handle({"action": "export", "policyId": "Test.nope"}, engine, None)["policy"] is None


def test_runs_the_drafts_tests_with_the_packs_global_helpers(engine: Engine) -> None:
    reply = handle({"action": "test", "draft": draft(ENCRYPTED)}, engine, None)
    assert (reply["passed"], reply["failed"], reply["errors"]) == (2, 0, [])
    assert [c["name"] for c in reply["cases"]] == ["encrypted", "plain"]
    # A draft whose verdict is wrong: PAT-style failed cases, with the status it got.
    always = draft("def policy(r):\n    return True\n")
    wrong = handle({"action": "test", "draft": always}, engine, None)
    assert (wrong["passed"], wrong["failed"]) == (1, 1)
    failed = next(c for c in wrong["cases"] if not c["passed"])
    assert (failed["name"], failed["expected"], failed["status"]) == ("plain", False, "PASS")


def test_an_invalid_draft_is_named_and_not_run(engine: Engine) -> None:
    reply = handle({"action": "test", "draft": draft(ENCRYPTED, Severity="Severe")}, engine, None)
    assert reply["cases"] == [] and reply["errors"][0].startswith("encrypted.json: Severity:")
    types = handle({"action": "test", "draft": draft(ENCRYPTED), "knownTypes": ["AWS.EC2.Vpc"]},
                   engine, None)
    assert "'AWS.S3.Bucket' is not a known resource type" in types["errors"][0]
    broken = handle({"action": "test", "draft": draft("def policy(r)\n")}, engine, None)
    assert "failed to import: SyntaxError" in broken["errors"][0]
    assert handle({"action": "test", "draft": {"spec": {}}}, engine, None) == {
        "draftError": 'draft must be an object {"spec": {...}, "source": "..."}'}


def test_evaluates_the_draft_alone_on_the_given_resources(engine: Engine) -> None:
    resources = [bucket("arn:aws:s3:::a", EncryptionRules=[{}]), bucket("arn:aws:s3:::b")]
    reply = handle({"action": "evaluate", "draft": draft(ENCRYPTED), "resources": resources},
                   engine, None)
    results = full_results(reply)
    assert [(r["resourceId"], r["policyId"], r["status"]) for r in results] == [
        ("arn:aws:s3:::a", "Test.encrypted", "PASS"), ("arn:aws:s3:::b", "Test.encrypted", "FAIL")]
    broken = handle({"action": "evaluate", "draft": draft("raise SystemExit(3)\n"),
                     "resources": resources}, engine, None)
    assert "failed to import" in broken["draftError"]


def test_draft_code_never_runs_in_the_engine_process(engine: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-for-drafts")
    hostile = ("import os, sys\nSEEN = os.environ.get('AWS_SECRET_ACCESS_KEY')\n"
               "sys.modules['posture_engine'].HACKED = True\nos.environ['POSTURE_HACKED'] = '1'\n"
               "def policy(r):\n    return SEEN is None\n")
    reply = handle({"action": "evaluate", "draft": draft(hostile), "resources": [bucket()]},
                   engine, None)
    assert [r["status"] for r in full_results(reply)] == ["PASS"]  # no credentials in its child
    assert not hasattr(sys.modules["posture_engine"], "HACKED")
    assert "POSTURE_HACKED" not in os.environ
    # The policy module of this process is still the running pack's, not the draft's.
    assert getattr(sys.modules.get("posture_policy_Test_encrypted"), "SEEN", "absent") == "absent"


def test_a_draft_that_hangs_at_import_is_stopped_at_the_deadline(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from posture_engine import console_actions

    monkeypatch.setattr(console_actions, "DRAFT_SECONDS", 2.0)
    original = console_actions.in_child
    monkeypatch.setattr(console_actions, "in_child",
                        lambda work, eng, seconds=2.0: original(work, eng, seconds))
    hang = "import time\nwhile True:\n    time.sleep(0.1)\n"
    reply = handle({"action": "test", "draft": draft(hang)}, engine, None)
    # The import's own limit (10 s) is longer than the action's deadline: the child is killed.
    assert reply == {"draftError": "the draft did not finish within 2 s; it was stopped"}


def test_bundles_the_draft_into_the_pack_stages_it_and_evaluates_the_staged_bundle(
        s3: Any, tmp_path: Path) -> None:
    _, engine = running_pack(tmp_path / "pack")
    stage = DraftStage(BUCKET, DRAFTS_PREFIX, s3)
    stricter = ("def policy(r):\n"
                "    return r.get('EncryptionRules') is not None and r.get('Name') != 'x'\n")
    stricter_tests = [*TESTS, {"Name": "x", "ExpectedResult": False,
                               "Resource": bucket(Name="x", EncryptionRules=[{}])}]
    reply = handle({"action": "bundle", "draft": draft(stricter, Tests=stricter_tests)}, engine,
                   stage)
    diff = reply["diff"]
    assert diff["oldHash"] == engine.version and diff["newHash"] != engine.version
    assert {p["id"]: p["change"] for p in diff["policies"]} == {
        "Test.encrypted": "changed", "Test.named": "unchanged"}
    assert diff["affectedTypes"] == ["AWS.S3.Bucket"]
    assert reply["staged"] == f"{DRAFTS_PREFIX}{diff['newHash']}.zip"
    staged = s3.get_object(Bucket=BUCKET, Key=reply["staged"])["Body"].read()
    loaded, manifest = read_bundle_zip(staged)
    assert manifest["contentHash"] == diff["newHash"]
    assert sorted(s.ident for s in loaded.policies) == ["Test.encrypted", "Test.named"]
    assert [g.ident for g in loaded.globals] == ["policy_helpers"]

    # The staged bundle evaluates every policy of the merged pack (the impact's evaluator).
    resources = [bucket("arn:aws:s3:::x", Name="x", EncryptionRules=[{}])]
    evaluated = handle({"action": "evaluate", "bundle": diff["newHash"], "resources": resources},
                       engine, stage)
    assert evaluated["bundleVersion"] == diff["newHash"]
    assert sorted((r["policyId"], r["status"]) for r in full_results(evaluated)) == [
        ("Test.encrypted", "FAIL"), ("Test.named", "PASS")]

    # The policy as the running pack holds it: stored under console_policies/ (a new bundle
    # hash), yet unchanged policy by policy, so no stored resource is re-evaluated.
    named = handle({"action": "export", "policyId": "Test.named"}, engine, None)["policy"]
    same = handle({"action": "bundle", "draft": named}, engine, stage)
    assert {p["id"]: p["change"] for p in same["diff"]["policies"]} == {
        "Test.encrypted": "unchanged", "Test.named": "unchanged"}
    assert same["diff"]["affectedTypes"] == []


def test_a_draft_whose_tests_fail_is_not_bundled(s3: Any, engine: Engine) -> None:
    reply = handle({"action": "bundle", "draft": draft("def policy(r):\n    return True\n")},
                   engine, DraftStage(BUCKET, DRAFTS_PREFIX, s3))
    assert reply == {"draftError": ("the draft is invalid or its tests fail: plain: "
                               "expected non-compliant (false), policy returned true")}
    assert s3.list_objects_v2(Bucket=BUCKET, Prefix=DRAFTS_PREFIX).get("KeyCount") == 0
    bad = handle({"action": "evaluate", "bundle": "../active", "resources": []}, engine,
                 DraftStage(BUCKET, DRAFTS_PREFIX, s3))
    assert bad == {"draftError": "bundle: '../active' is not a content hash"}


def test_the_handler_serves_the_actions_on_the_uploaded_bundle_at_once(
        s3: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin, _ = running_pack(tmp_path / "builtin")
    s3.put_object(Bucket=BUCKET, Key="assets/builtin.zip", Body=builtin)
    monkeypatch.setenv("POSTURE_BUNDLE_BUCKET", BUCKET)
    monkeypatch.setenv("POSTURE_BUNDLE_KEY", "assets/builtin.zip")
    monkeypatch.setenv("POSTURE_ACTIVE_BUNDLE_BUCKET", BUCKET)
    monkeypatch.setenv("POSTURE_ACTIVE_BUNDLE_KEY", ACTIVE)
    monkeypatch.setenv("POSTURE_DRAFTS_PREFIX", DRAFTS_PREFIX)
    monkeypatch.setenv("POSTURE_BUNDLE_TTL", "3600")  # the actions check anyway
    monkeypatch.setattr(lambda_handler, "_engine", None)
    monkeypatch.setattr(lambda_handler, "_active", False)
    monkeypatch.setattr(lambda_handler, "_stage", None)
    low = draft(ENCRYPTED, Severity="Low")
    first = lambda_handler.handler({"action": "bundle", "draft": low}, None)
    assert first["staged"].startswith(DRAFTS_PREFIX)
    # Publishing the staged bundle (what the console does) is seen by the next action at once.
    staged = s3.get_object(Bucket=BUCKET, Key=first["staged"])["Body"].read()
    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=staged)
    exported = lambda_handler.handler({"action": "export", "policyId": "Test.encrypted"}, None)
    assert exported["source"] == first["diff"]["newHash"]
    assert exported["policy"]["spec"]["Severity"] == "Low"
    with pytest.raises(ValueError, match="action must be one of"):
        handle({"action": "delete"}, Engine([], ()), None)
    assert json.dumps(exported)  # the reply is JSON as Lambda returns it
