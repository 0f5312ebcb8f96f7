"""posture bundle: validated + tested zip with a manifest; the Lambda loads it from S3 (moto)."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import KNOWN_TYPES, REPO_ROOT, RUNTIME_DIR, Pack, bucket

from posture_engine import Engine, __version__, bundle_cli, lambda_handler
from posture_engine.bundle_zip import build_bundle_zip, content_hash, read_bundle_zip
from posture_engine.specs import load_specs

ENCRYPTION = "def policy(r):\n    return r.get('EncryptionRules') is not None\n"
TESTS = [{"Name": "encrypted", "ExpectedResult": True, "Resource": {"EncryptionRules": [{}]}},
         {"Name": "plain", "ExpectedResult": False, "Resource": {"EncryptionRules": None}}]


def build(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = bundle_cli.main([*args, "--no-install"])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_builtin_pack_bundles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "builtin.zip"
    code, lines, _ = build(capsys, str(REPO_ROOT / "policies"), "--out", str(out),
                        "--resource-types", KNOWN_TYPES, "--minimum-tests", "2")
    assert code == 0, "\n".join(lines)
    files = members(out)
    manifest = json.loads(files["manifest.json"])
    builtin = load_specs([str(REPO_ROOT / "policies")])
    policy_ids = sorted(s.ident for s in builtin.policies)
    assert [p["id"] for p in manifest["policies"]] == policy_ids
    assert [g["id"] for g in manifest["globals"]] == sorted(s.ident for s in builtin.globals)
    assert lines[-1] == (f"wrote {out}: {len(policy_ids)} policies, {len(builtin.globals)} globals, content hash "
                         f"{manifest['contentHash']}")
    assert lines[-2].endswith(" passed, 0 failed")  # the test run is shown first
    assert manifest["engineVersion"] == __version__ and manifest["format"] == "posture-bundle-zip/1"
    encryption = next(p for p in manifest["policies"] if p["id"] == "AWS.S3.Bucket.Encryption")
    assert encryption["spec"] == "policies/aws_s3_policies/aws_s3_bucket_encryption.json"
    assert encryption["source"] == "policies/aws_s3_policies/aws_s3_bucket_encryption.py"
    spec = json.loads(files[encryption["spec"]])
    assert spec["PolicyID"] == "AWS.S3.Bucket.Encryption" and "Tests" not in spec
    assert b"def policy(" in files[encryption["source"]]
    listed = manifest["policies"] + manifest["globals"]
    assert set(files) == {"manifest.json", *(p["spec"] for p in listed),
                          *(p["source"] for p in listed)}
    # The Lambda's view of the same bytes: every policy loads, none errors on a bucket.
    engine = Engine.from_bundle_zip(out.read_bytes())
    assert engine.errors == [] and engine.enabled_policy_ids == policy_ids
    assert "ERROR" not in {r["status"] for r in engine.evaluate([bucket()])}


def test_content_hash_ignores_build_time_and_follows_content(pack: Pack) -> None:
    pack.policy("enc", ENCRYPTION, Tests=TESTS)
    loaded = load_specs([str(pack.root)])
    first, manifest = build_bundle_zip(loaded, created_at="2024-01-01T00:00:00Z")
    again, same = build_bundle_zip(loaded, created_at="2025-06-01T00:00:00Z")
    assert manifest["contentHash"] == same["contentHash"] == content_hash(manifest)
    assert manifest["createdAt"] == "2024-01-01T00:00:00Z"
    # Tests are not part of the bundle, so editing them keeps the version.
    pack.policy("enc", ENCRYPTION, Tests=TESTS[:1])
    assert build_bundle_zip(load_specs([str(pack.root)]))[1]["contentHash"] == manifest["contentHash"]
    pack.policy("enc", ENCRYPTION + "# changed\n", Tests=TESTS)
    changed = build_bundle_zip(load_specs([str(pack.root)]))[1]
    assert changed["contentHash"] != manifest["contentHash"]
    assert changed["policies"][0]["version"] != manifest["policies"][0]["version"]


@pytest.mark.parametrize("broken", ["failing test", "invalid spec", "import error"])
def test_failures_write_nothing(pack: Pack, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                broken: str) -> None:
    pack.policy("enc", ENCRYPTION, Tests=TESTS)
    if broken == "failing test":
        pack.policy("wrong", ENCRYPTION, Tests=[{**TESTS[0], "ExpectedResult": False}])
    elif broken == "invalid spec":
        pack.policy("typo", ENCRYPTION, Severity="Hgih")
    else:
        pack.policy("imports", "import nowhere_module\n" + ENCRYPTION)
    out = tmp_path / "b.zip"
    out.write_bytes(b"previous bundle")
    code, lines, err = build(capsys, str(pack.root), "--out", str(out))
    assert code == 1 and out.read_bytes() == b"previous bundle"
    assert err.splitlines()[-1] == f"bundle not written: fix the failures above ({out} left unchanged)"
    assert lines[-1] == ("2 passed, 1 failed" if broken == "failing test" else "2 passed, 0 failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip", "pack"]  # no temporary left


def test_reading_verifies_every_file_and_the_manifest(pack: Pack) -> None:
    pack.policy("enc", ENCRYPTION, Tests=TESTS)
    pack.global_("helpers", "X = 1\n")
    data, manifest = build_bundle_zip(load_specs([str(pack.root)]))
    loaded, read_manifest = read_bundle_zip(data)
    assert read_manifest == manifest and loaded.errors == []
    assert [s.ident for s in loaded.policies] == ["Test.enc"] and [s.ident for s in loaded.globals] == ["helpers"]
    engine = Engine.from_bundle_zip(data)
    assert engine.version == manifest["contentHash"]
    assert [r["status"] for r in engine.evaluate([bucket()])] == ["FAIL"]

    files = members_of(data)
    source = manifest["policies"][0]["source"]
    with pytest.raises(ValueError, match=r"^bundle: policies\[0\]: .* does not match its SHA-256"):
        read_bundle_zip(rezip({**files, source: files[source] + b"# edited\n"}))
    edited = json.loads(files["manifest.json"])
    edited["policies"][0]["sourceSha256"] = "0" * 64
    with pytest.raises(ValueError, match="contentHash does not match its entries"):
        read_bundle_zip(rezip({**files, "manifest.json": json.dumps(edited).encode()}))
    with pytest.raises(ValueError, match="is missing from the bundle"):
        read_bundle_zip(rezip({k: v for k, v in files.items() if k != source}))
    with pytest.raises(ValueError, match="not a zip file"):
        read_bundle_zip(b"PK nonsense")
    with pytest.raises(ValueError, match="unsupported bundle format"):
        read_bundle_zip(rezip({"manifest.json": b'{"format": "other"}'}))


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_engine_version_matches_package_json() -> None:
    assert json.loads((REPO_ROOT / "package.json").read_text())["version"] == __version__


# ---- the Lambda loading from S3 (moto server) -------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3  # type: ignore[import-untyped]

    for name, value in {"AWS_ENDPOINT_URL_S3": s3_endpoint, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("POSTURE_BUNDLE_VERSION", raising=False)
    monkeypatch.setattr(lambda_handler, "_engine", None)
    return boto3.client("s3")


def bundle_bytes(pack: Pack, source: str) -> tuple[bytes, str]:
    pack.policy("enc", source, Tests=TESTS)
    data, manifest = build_bundle_zip(load_specs([str(pack.root)]))
    return data, manifest["contentHash"]


def test_lambda_loads_a_pinned_version_once_per_container(
        s3: Any, pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    s3.create_bucket(Bucket="posture-bundles")
    s3.put_bucket_versioning(Bucket="posture-bundles",
                             VersioningConfiguration={"Status": "Enabled"})
    first, first_hash = bundle_bytes(pack, ENCRYPTION)
    second, second_hash = bundle_bytes(pack, "def policy(r):\n    return True\n")
    v1 = s3.put_object(Bucket="posture-bundles", Key="policies.zip", Body=first)["VersionId"]
    s3.put_object(Bucket="posture-bundles", Key="policies.zip", Body=second)
    monkeypatch.setenv("POSTURE_BUNDLE_BUCKET", "posture-bundles")
    monkeypatch.setenv("POSTURE_BUNDLE_KEY", "policies.zip")
    monkeypatch.setenv("POSTURE_BUNDLE", "/nonexistent/bundle.zip")  # must not be used

    monkeypatch.setenv("POSTURE_BUNDLE_VERSION", v1)
    response = lambda_handler.handler({"resources": [bucket()]}, None)
    assert response["bundleVersion"] == first_hash
    assert [r["status"] for r in response["results"]] == ["FAIL"]

    # Loaded once: with the object gone, the warm container keeps evaluating.
    s3.delete_object(Bucket="posture-bundles", Key="policies.zip", VersionId=v1)
    again = lambda_handler.handler({"resources": [bucket()]}, None)
    assert again["bundleVersion"] == first_hash

    # A new container without a version id takes the latest.
    monkeypatch.setattr(lambda_handler, "_engine", None)
    monkeypatch.delenv("POSTURE_BUNDLE_VERSION")
    latest = lambda_handler.handler({"resources": [bucket()]}, None)
    assert latest["bundleVersion"] == second_hash
    assert [r["status"] for r in latest["results"]] == ["PASS"]

    # The console's policy list comes from the same loaded bundle.
    catalog = lambda_handler.handler({"action": "catalog"}, None)
    assert catalog["source"] == second_hash
    assert [(p["policyId"], p["enabled"], p["resourceTypes"]) for p in catalog["policies"]] == [
        ("Test.enc", True, ["AWS.S3.Bucket"])]


def test_lambda_refuses_a_tampered_or_missing_bundle(
        s3: Any, pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    s3.create_bucket(Bucket="posture-tampered")
    data, _ = bundle_bytes(pack, ENCRYPTION)
    files = members_of(data)
    source = next(name for name in files if name.endswith(".py"))
    s3.put_object(Bucket="posture-tampered", Key="b.zip",
                  Body=rezip({**files, source: b"def policy(r):\n    return True\n"}))
    monkeypatch.setenv("POSTURE_BUNDLE_BUCKET", "posture-tampered")
    monkeypatch.setenv("POSTURE_BUNDLE_KEY", "b.zip")
    with pytest.raises(ValueError, match=r"^s3://posture-tampered/b\.zip: policies\[0\]: .* does "
                                         r"not match its SHA-256 in the manifest$"):
        lambda_handler.handler({"resources": []}, None)
    assert lambda_handler._engine is None  # the next invocation tries again

    monkeypatch.setenv("POSTURE_BUNDLE_KEY", "missing.zip")
    with pytest.raises(Exception, match="NoSuchKey"):
        lambda_handler.handler({"resources": []}, None)
    monkeypatch.delenv("POSTURE_BUNDLE_KEY")
    with pytest.raises(ValueError, match="^POSTURE_BUNDLE_KEY must be set together with "
                                         "POSTURE_BUNDLE_BUCKET$"):
        lambda_handler.handler({"resources": []}, None)


def test_bundle_cli_as_a_subprocess(pack: Pack, tmp_path: Path) -> None:
    pack.policy("enc", ENCRYPTION, Tests=TESTS)
    out = tmp_path / "out" / "bundle.zip"
    completed = subprocess.run(
        [sys.executable, "-m", "posture_engine.bundle_cli", str(pack.root), "--out", str(out)],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.splitlines()[-1].startswith(f"wrote {out}: 1 policies, 0 globals, ")
    assert Engine.from_bundle_zip(out.read_bytes()).enabled_policy_ids == ["Test.enc"]


def test_manifest_records_pack_requirements(pack: Pack, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib

    pack.policy("enc", ENCRYPTION, Tests=TESTS)
    requirements = pack.root / "requirements.txt"
    requirements.write_text("# nothing pinned yet\n")
    out = tmp_path / "b.zip"
    code, _, _ = build(capsys, str(pack.root), "--out", str(out))
    assert code == 0
    manifest = json.loads(members(out)["manifest.json"])
    assert manifest["requirements"] == [{
        "path": "pack/requirements.txt",
        "sha256": hashlib.sha256(requirements.read_bytes()).hexdigest()}]
    # The requirements are part of the content: changing them changes the bundle's version.
    requirements.write_text("# still nothing\n")
    assert build(capsys, str(pack.root), "--out", str(out))[0] == 0
    assert json.loads(members(out)["manifest.json"])["contentHash"] != manifest["contentHash"]
