"""build_layer → the layer's bundle.zip (the one bundle format) → the Lambda handler (in-process and as the layer runs it)."""

from __future__ import annotations

import json
import zipfile
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import KNOWN_TYPES, REPO_ROOT, RUNTIME_DIR, Pack, bucket, make_wheel, full_results

from posture_engine import lambda_handler
from posture_engine.bundle_zip import read_bundle_zip
from posture_engine.specs import load_specs


# The engine function's platform, as lib/constructs/policy-engine.ts passes it.
PLATFORM_ARGS = ("--lambda-runtime", "python3.13", "--architecture", "arm64")


def run_module(module: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One layer built from the built-in pack plus a pack with a vendored dependency."""
    root = tmp_path_factory.mktemp("layer")
    pack = Pack(root / "extra")
    make_wheel(pack.root / "wheels")
    (pack.root / "requirements.txt").write_text("./wheels/tinydep-1.0-py3-none-any.whl\n")
    pack.policy("uses_dep", "import tinydep\ndef policy(r):\n    return tinydep.ANSWER == 42\n",
                ResourceTypes=["AWS.IAM.User"])
    outdir = root / "out"
    built = run_module("posture_engine.build_layer", str(outdir), "--policies",
                       str(REPO_ROOT / "policies"), str(pack.root), "--resource-types",
                       KNOWN_TYPES, *PLATFORM_ARGS)
    assert built.returncode == 0, built.stderr
    builtin = load_specs([str(REPO_ROOT / "policies")])
    assert built.stdout.startswith(f"wrote {outdir}: {len(builtin.policies) + 1} policies, "
                                   f"{len(builtin.globals)} globals, bundle version ")
    return outdir


def test_layer_tree(layer: Path) -> None:
    package = layer / "python" / "posture_engine"
    assert (package / "engine.py").is_file() and (package / "lambda_handler.py").is_file()
    assert not list(package.rglob("__pycache__")) and not (package / "tests").exists()
    assert (layer / "python" / "tinydep" / "__init__.py").is_file()
    data = (layer / "posture" / "bundle.zip").read_bytes()
    loaded, manifest = read_bundle_zip(data, "layer")  # verified against its manifest's hashes
    builtin = load_specs([str(REPO_ROOT / "policies")])
    assert [p["id"] for p in manifest["policies"]] == sorted(
        [s.ident for s in builtin.policies] + ["Test.uses_dep"])
    assert [g["id"] for g in manifest["globals"]] == sorted(s.ident for s in builtin.globals)
    encryption = next(p for p in manifest["policies"] if p["id"] == "AWS.S3.Bucket.Encryption")
    assert encryption["spec"] == "policies/aws_s3_policies/aws_s3_bucket_encryption.json"
    assert "def policy(" in next(s.source for s in loaded.policies if s.ident == "AWS.S3.Bucket.Encryption")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all("Tests" not in json.loads(archive.read(p["spec"])) for p in manifest["policies"])
    assert len(manifest["contentHash"]) == 64


def test_handler_in_process(layer: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTURE_BUNDLE", str(layer / "posture" / "bundle.zip"))
    monkeypatch.setattr(lambda_handler, "_engine", None)
    user = {"ResourceId": "arn:aws:iam::123456789012:user/u", "ResourceType": "AWS.IAM.User",
            "Name": "u", "CredentialReport": None, "InlinePolicies": None,
            "ManagedPolicyNames": ["AdministratorAccess"]}
    sys.path.insert(0, str(layer / "python"))  # for the vendored tinydep
    try:
        response = lambda_handler.handler({"resources": [bucket("arn:aws:s3:::plain"), user]}, None)
    finally:
        sys.path.remove(str(layer / "python"))
    version = read_bundle_zip((layer / "posture" / "bundle.zip").read_bytes())[1]["contentHash"]
    assert response["bundleVersion"] == version
    statuses = {(r["resourceId"], r["policyId"]): r["status"] for r in response["results"]}
    expected = {(resource, s.ident) for s in load_specs([str(REPO_ROOT / "policies")]).policies
                for resource, kind in (("arn:aws:s3:::plain", "AWS.S3.Bucket"),
                                       ("arn:aws:iam::123456789012:user/u", "AWS.IAM.User"))
                if kind in s.data["ResourceTypes"]}
    assert set(statuses) == expected | {("arn:aws:iam::123456789012:user/u", "Test.uses_dep")}
    assert "ERROR" not in statuses.values()
    assert {pair: statuses[pair] for pair in [
        ("arn:aws:s3:::plain", "AWS.S3.Bucket.Encryption"),
        ("arn:aws:s3:::plain", "AWS.S3.Bucket.PublicACL"),
        ("arn:aws:iam::123456789012:user/u", "AWS.IAM.User.AccessKeyRotation"),
        ("arn:aws:iam::123456789012:user/u", "AWS.IAM.User.AdminPolicy"),
        ("arn:aws:iam::123456789012:user/u", "Test.uses_dep")]} == {
        ("arn:aws:s3:::plain", "AWS.S3.Bucket.Encryption"): "FAIL",
        ("arn:aws:s3:::plain", "AWS.S3.Bucket.PublicACL"): "PASS",
        ("arn:aws:iam::123456789012:user/u", "AWS.IAM.User.AccessKeyRotation"): "PASS",
        ("arn:aws:iam::123456789012:user/u", "AWS.IAM.User.AdminPolicy"): "FAIL",
        ("arn:aws:iam::123456789012:user/u", "Test.uses_dep"): "PASS",
    }
    bad_events: list[Any] = [{}, {"resources": "x"}, []]
    for bad_event in bad_events:
        with pytest.raises(ValueError, match=r"^event must be an object \{\"resources\": \[\.\.\.\]\}$"):
            lambda_handler.handler(bad_event, None)
    with pytest.raises(ValueError, match=r"^resources\[0\]\.ResourceId must be a non-empty string$"):
        lambda_handler.handler({"resources": [{"ResourceType": "AWS.S3.Bucket"}]}, None)


def test_function_runs_from_the_layer_without_pyyaml(layer: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "yaml.py").write_text("raise ImportError('PyYAML must not be needed on Lambda')\n")
    script = ("import json, sys, index, posture_engine\n"
              "event = json.loads(sys.stdin.read())\n"
              "print(json.dumps({'file': posture_engine.__file__, "
              "'out': index.handler(event, None)}))\n")
    paths = [str(blocker), str(layer / "python"), str(RUNTIME_DIR / "function")]
    completed = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps({"resources": [bucket()]}),
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths),
             "POSTURE_BUNDLE": str(layer / "posture" / "bundle.zip")})
    assert completed.returncode == 0, completed.stderr
    reply = json.loads(completed.stdout)
    assert reply["file"] == str(layer / "python" / "posture_engine" / "__init__.py")
    statuses = {r["policyId"]: r["status"] for r in reply["out"]["results"]}
    assert statuses["AWS.S3.Bucket.Encryption"] == "FAIL"
    assert statuses["AWS.S3.Bucket.PublicACL"] == "PASS"
    assert "ERROR" not in statuses.values()
    assert len(reply["out"]["bundleVersion"]) == 64


def test_tampered_bundle_is_refused(layer: Path, tmp_path: Path) -> None:
    data = (layer / "posture" / "bundle.zip").read_bytes()
    manifest = read_bundle_zip(data)[1]
    source = manifest["policies"][0]["source"]
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(tampered, "w") as copy:
        for info in original.infolist():
            body = original.read(info)
            copy.writestr(info, body + b"\n# edited\n" if info.filename == source else body)
    with pytest.raises(ValueError, match="does not match its SHA-256"):
        read_bundle_zip(tampered.getvalue())


def test_invalid_spec_fails_the_build(tmp_path: Path) -> None:
    pack = Pack(tmp_path / "bad")
    pack.policy("typo", "def policy(r):\n    return True\n", Severity="Hgih")
    pack.policy("noimport", "import nowhere_module\ndef policy(r):\n    return True\n")
    built = run_module("posture_engine.build_layer", str(tmp_path / "out"), "--policies",
                       str(pack.root), *PLATFORM_ARGS)
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"{pack.dir}/typo.json: Severity: 'Hgih' is not one of Info, Low, Medium, High, Critical"]
    assert not (tmp_path / "out" / "posture" / "bundle.zip").exists()
    (pack.dir / "typo.json").unlink()
    built = run_module("posture_engine.build_layer", str(tmp_path / "out"), "--policies",
                       str(pack.root), *PLATFORM_ARGS)
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"{pack.dir}/noimport.json: Filename: {pack.dir}/noimport.py failed to import: "
        "ModuleNotFoundError: No module named 'nowhere_module'"]


def test_function_contains_hostile_policies(layer: Path, tmp_path: Path) -> None:
    """The Lambda function code, with hostile policies in its bundle: one invocation still
    answers, with ERROR for exactly the hostile pairs and the built-in verdicts unchanged."""
    hostile_src = RUNTIME_DIR / "tests" / "hostile_policies"
    hostile = tmp_path / "hostile_policies"
    hostile.mkdir()
    for case in ("os_exit", "c_loop", "patch_other_policy", "resource_setitem",
                 "keyboard_interrupt", "print_garbage"):
        for suffix in (".py", ".yml"):
            (hostile / f"{case}{suffix}").write_text((hostile_src / f"{case}{suffix}").read_text())
    outdir = tmp_path / "hostile-layer"
    built = run_module("posture_engine.build_layer", str(outdir), "--policies",
                       str(REPO_ROOT / "policies"), str(hostile), "--resource-types", KNOWN_TYPES,
                       *PLATFORM_ARGS)
    assert built.returncode == 0, built.stderr
    event = {"resources": [bucket("arn:aws:s3:::plain"),
                           bucket("arn:aws:s3:::enc", EncryptionRules=[
                               {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}])]}
    script = ("import json, sys, index\n"
              "event = json.loads(sys.stdin.read())\n"
              "json.dump(index.handler(event, None), open(sys.argv[1], 'w'))\n")

    def invoke(bundle: Path, name: str) -> list[dict[str, Any]]:
        out = tmp_path / f"{name}.json"
        completed = subprocess.run(
            [sys.executable, "-c", script, str(out)], input=json.dumps(event),
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(
                     [str(layer / "python"), str(RUNTIME_DIR / "function")]),
                 "POSTURE_BUNDLE": str(bundle), "POSTURE_POLICY_TIMEOUT": "0.25",
                 "POSTURE_POLICY_GRACE": "0.5"})
        assert completed.returncode == 0, completed.stderr
        results: list[dict[str, Any]] = full_results(json.loads(out.read_text()))
        return results

    plain = invoke(layer / "posture" / "bundle.zip", "plain")
    mixed = invoke(outdir / "posture" / "bundle.zip", "mixed")
    assert [r for r in mixed if r["policyId"].startswith("AWS.")] == \
        [r for r in plain if r["policyId"].startswith("AWS.")]
    hostile_results = {(r["policyId"], r["resourceId"]): r["errorMessage"] or r["status"]
                       for r in mixed if r["policyId"].startswith("AA.")}
    assert len(hostile_results) == 12
    for (policy_id, _), shown in hostile_results.items():
        expected = {"AA.Hostile.OsExit": "WorkerExited:", "AA.Hostile.CLoop": "WorkerKilled:",
                    "AA.Hostile.PatchOtherPolicy": "IsolationError:",
                    "AA.Hostile.ResourceSetitem": "IsolationError:",
                    "AA.Hostile.KeyboardInterrupt": "KeyboardInterrupt",
                    "AA.Hostile.PrintGarbage": "PASS"}[policy_id]
        assert shown.startswith(expected), (policy_id, shown)
