"""The uploaded (active) bundle: the Lambda and the worker pick up `posture upload` without a
redeploy, with one list call per TTL (a download only on change), and fall back to the built-in
bundle (moto S3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Pack, bucket

from posture_engine import lambda_handler
from posture_engine.active_bundle import ActiveBundle, active_from_env
from posture_engine.bundle_diff import main as diff_main
from posture_engine.bundle_zip import build_bundle_zip
from posture_engine.s3_bundle import BundleLocation
from posture_engine.specs import load_specs
from posture_engine.worker import engine_with_active, handle_line

ENCRYPTED = "def policy(r):\n    return r.get('EncryptionRules') is not None\n"
ALWAYS = "def policy(r):\n    return True\n"
NEVER = "def policy(r):\n    return False\n"
BUCKET = "posture-policies"
ACTIVE = "policies/active.zip"


def zip_of(root: Path, **sources: str) -> tuple[bytes, str]:
    """A bundle of one test pack whose policies are the given name → source."""
    pack = Pack(root)
    for name, source in sources.items():
        pack.policy(name, source)
    data, manifest = build_bundle_zip(load_specs([str(root)]))
    return data, str(manifest["contentHash"])


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from moto import mock_aws  # type: ignore[import-untyped]
    import boto3  # type: ignore[import-untyped]

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "POSTURE_BUNDLE_VERSION"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        yield client


class Counting:
    """The real client, counting list and GetObject calls."""

    def __init__(self, client: Any) -> None:
        self.client, self.lists, self.gets = client, 0, 0

    def list_objects_v2(self, **request: Any) -> Any:
        self.lists += 1
        return self.client.list_objects_v2(**request)

    def get_object(self, **request: Any) -> Any:
        self.gets += 1
        return self.client.get_object(**request)


def test_lambda_uses_the_builtin_until_an_upload_then_the_upload(
        s3: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin, builtin_hash = zip_of(tmp_path / "builtin", enc=ENCRYPTED)
    uploaded, uploaded_hash = zip_of(tmp_path / "uploaded", enc=ALWAYS)
    s3.put_object(Bucket=BUCKET, Key="assets/builtin.zip", Body=builtin)
    monkeypatch.setenv("POSTURE_BUNDLE_BUCKET", BUCKET)
    monkeypatch.setenv("POSTURE_BUNDLE_KEY", "assets/builtin.zip")
    monkeypatch.setenv("POSTURE_ACTIVE_BUNDLE_BUCKET", BUCKET)
    monkeypatch.setenv("POSTURE_ACTIVE_BUNDLE_KEY", ACTIVE)
    monkeypatch.setenv("POSTURE_BUNDLE_TTL", "0")  # check on every call
    monkeypatch.setattr(lambda_handler, "_engine", None)
    monkeypatch.setattr(lambda_handler, "_active", False)

    first = lambda_handler.handler({"resources": [bucket()]}, None)
    assert first["bundleVersion"] == builtin_hash
    assert [r["status"] for r in first["results"]] == ["FAIL"]

    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=uploaded)
    after = lambda_handler.handler({"resources": [bucket()]}, None)
    assert after["bundleVersion"] == uploaded_hash
    assert [r["status"] for r in after["results"]] == ["PASS"]

    # Deleting the upload (a delete marker: the key answers 404) returns to the built-in bundle.
    s3.delete_object(Bucket=BUCKET, Key=ACTIVE)
    back = lambda_handler.handler({"resources": [bucket()]}, None)
    assert back["bundleVersion"] == builtin_hash


def test_one_list_per_ttl_a_download_only_on_change(s3: Any, tmp_path: Path) -> None:
    one, one_hash = zip_of(tmp_path / "one", enc=ENCRYPTED)
    two, two_hash = zip_of(tmp_path / "two", enc=NEVER)
    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=one)
    now = [100.0]
    client = Counting(s3)
    logs: list[str] = []
    active = ActiveBundle(BundleLocation(BUCKET, ACTIVE), ttl=30, client=client,
                          clock=lambda: now[0], log=logs.append)

    assert active.engine() is not None and active.engine().version == one_hash  # type: ignore[union-attr]
    assert (client.lists, client.gets) == (1, 1)  # the second call was inside the TTL
    now[0] += 31
    assert active.engine().version == one_hash  # type: ignore[union-attr]
    assert (client.lists, client.gets) == (2, 1)  # same ETag: nothing downloaded

    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=two)
    now[0] += 10
    assert active.engine().version == one_hash  # type: ignore[union-attr]  # within the TTL
    now[0] += 30
    engine = active.engine()
    assert engine is not None and engine.version == two_hash
    assert [r["status"] for r in engine.evaluate([bucket()])] == ["FAIL"]
    assert (client.lists, client.gets) == (3, 2)
    assert any(f"loaded uploaded bundle {two_hash}" in line for line in logs)


def test_a_broken_upload_keeps_the_loaded_bundle_and_says_why(s3: Any, tmp_path: Path) -> None:
    good, good_hash = zip_of(tmp_path / "good", enc=ENCRYPTED)
    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=good)
    logs: list[str] = []
    active = ActiveBundle(BundleLocation(BUCKET, ACTIVE), ttl=0, client=s3, log=logs.append)
    assert active.engine().version == good_hash  # type: ignore[union-attr]
    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=b"not a zip")
    assert active.engine().version == good_hash  # type: ignore[union-attr]
    assert any("keeping bundle" in line and "not a zip file" in line for line in logs)

    fresh = ActiveBundle(BundleLocation(BUCKET, ACTIVE), ttl=0, client=s3, log=logs.append)
    with pytest.raises(ValueError, match="not a zip file"):
        fresh.engine()  # nothing loaded yet: the invocation fails and the next one retries


def test_env_contract() -> None:
    assert active_from_env({}) is None
    watcher = active_from_env({"POSTURE_ACTIVE_BUNDLE_BUCKET": "b",
                               "POSTURE_ACTIVE_BUNDLE_KEY": "k", "POSTURE_BUNDLE_TTL": "5"})
    assert watcher is not None and (watcher.location.bucket, watcher.ttl) == ("b", 5.0)
    with pytest.raises(ValueError, match="^POSTURE_ACTIVE_BUNDLE_KEY must be set together with "
                                         "POSTURE_ACTIVE_BUNDLE_BUCKET$"):
        active_from_env({"POSTURE_ACTIVE_BUNDLE_BUCKET": "b"})
    with pytest.raises(ValueError, match="POSTURE_BUNDLE_TTL must be a number of seconds"):
        active_from_env({"POSTURE_ACTIVE_BUNDLE_BUCKET": "b", "POSTURE_ACTIVE_BUNDLE_KEY": "k",
                         "POSTURE_BUNDLE_TTL": "soon"})


def test_worker_serves_the_upload_over_its_directories(s3: Any, tmp_path: Path) -> None:
    pack = Pack(tmp_path / "dirs")
    pack.policy("enc", ENCRYPTED)
    from posture_engine.engine import Engine

    built_in = Engine.from_directories([str(pack.root)])
    active = ActiveBundle(BundleLocation(BUCKET, ACTIVE), ttl=0, client=s3, log=lambda _: None)
    current = engine_with_active(built_in, active)
    request = json.dumps({"id": 1, "resources": [bucket()]})
    assert handle_line(current, request)["results"][0]["status"] == "FAIL"
    uploaded, _ = zip_of(tmp_path / "up", enc=ALWAYS)
    s3.put_object(Bucket=BUCKET, Key=ACTIVE, Body=uploaded)
    assert handle_line(current, request)["results"][0]["status"] == "PASS"


def test_bundle_diff_names_changed_added_removed_and_the_affected_types(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = Pack(tmp_path / "old")
    old.policy("kept", ALWAYS)
    old.policy("stricter", ALWAYS, ResourceTypes=["AWS.EC2.SecurityGroup"])
    old.policy("dropped", ALWAYS, ResourceTypes=["AWS.IAM.User"])
    old.policy("off", ALWAYS, ResourceTypes=["AWS.KMS.Key"], Enabled=False)
    new = Pack(tmp_path / "new")
    new.policy("kept", ALWAYS)
    new.policy("stricter", NEVER, ResourceTypes=["AWS.EC2.SecurityGroup"])
    new.policy("off", NEVER, ResourceTypes=["AWS.KMS.Key"], Enabled=False)
    new.policy("fresh", ALWAYS, ResourceTypes=["AWS.EC2.Volume"])
    (tmp_path / "new.zip").write_bytes(build_bundle_zip(load_specs([str(new.root)]))[0])

    assert diff_main(["--new", str(tmp_path / "new.zip"), "--old-dir", str(old.root)]) == 0
    out = json.loads(capsys.readouterr().out)
    changes = {p["id"]: p["change"] for p in out["policies"]}
    assert changes == {"Test.kept": "unchanged", "Test.stricter": "changed",
                       "Test.dropped": "removed", "Test.off": "changed", "Test.fresh": "added"}
    # The disabled policy's edit re-evaluates nothing; the others' types do.
    assert out["affectedTypes"] == ["AWS.EC2.SecurityGroup", "AWS.EC2.Volume", "AWS.IAM.User"]
    assert out["oldHash"] != out["newHash"]

    assert diff_main(["--new", str(tmp_path / "missing.zip"), "--old-dir", str(old.root)]) == 1
    assert "bundle diff: " in capsys.readouterr().err


def test_bundle_diff_follows_changed_globals_to_the_policies_importing_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def pack(root: Path, helper: str) -> Path:
        p = Pack(root)
        p.global_("my_helpers", f"def ok(r):\n    return {helper}\n")
        p.policy("uses", "from my_helpers import ok\n\ndef policy(r):\n    return ok(r)\n",
                 ResourceTypes=["AWS.IAM.Role"])
        p.policy("alone", ALWAYS)
        return p.root

    old_root = pack(tmp_path / "a", "True")
    new_zip = tmp_path / "b.zip"
    new_zip.write_bytes(build_bundle_zip(load_specs([str(pack(tmp_path / "b", "False"))]))[0])
    assert diff_main(["--new", str(new_zip), "--old-dir", str(old_root)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changedGlobals"] == ["my_helpers"]
    assert {p["id"]: p["change"] for p in out["policies"]} == {"Test.uses": "changed",
                                                               "Test.alone": "unchanged"}
    assert out["affectedTypes"] == ["AWS.IAM.Role"]
