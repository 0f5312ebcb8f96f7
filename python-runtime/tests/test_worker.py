"""The JSON-lines worker, spawned as the TypeScript local runtime spawns it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from conftest import RUNTIME_DIR, Pack, bucket


def start_worker(pack: Pack, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(RUNTIME_DIR)}
    return subprocess.Popen(
        [sys.executable, "-m", "posture_engine.worker", "--policies", str(pack.root), *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def exchange(worker: subprocess.Popen[str], line: str) -> dict[str, Any]:
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(line + "\n")
    worker.stdin.flush()
    reply: dict[str, Any] = json.loads(worker.stdout.readline())
    return reply


def test_worker_protocol(pack: Pack) -> None:
    pack.policy("enc", "def policy(r):\n    print('noise on stdout')\n"
                       "    return r['EncryptionRules'] is not None\n", Severity="High")
    pack.policy("typo", "def policy(r):\n    return True\n", ResourceTypes=["AWS.S3.Bukcet"])
    pack.policy("off", "def policy(r):\n    return True\n", Enabled=False)
    worker = start_worker(pack, "--resource-types", "AWS.S3.Bucket,AWS.IAM.User",
                          "--timeout", "0.5")
    try:
        assert worker.stdout is not None
        ready = json.loads(worker.stdout.readline())
        assert ready == {"ready": True, "policies": ["Test.enc"], "errors": [
            f"{pack.dir}/typo.json: ResourceTypes: 'AWS.S3.Bukcet' is not a known resource type "
            "(did you mean AWS.S3.Bucket?)"]}

        reply = exchange(worker, json.dumps({"id": 1, "resources": [
            bucket("arn:aws:s3:::plain"), bucket("arn:aws:s3:::enc", EncryptionRules=[{}])]}))
        assert reply["id"] == 1
        assert [(r["resourceId"], r["status"], r["severity"]) for r in reply["results"]] == [
            ("arn:aws:s3:::plain", "FAIL", "High"), ("arn:aws:s3:::enc", "PASS", "High")]

        assert exchange(worker, "{not json") == {
            "id": None, "error": "invalid JSON: Expecting property name enclosed in double "
                                 "quotes at column 2"}
        assert exchange(worker, "[1, 2]") == {"id": None, "error": "a request must be a JSON object"}
        assert exchange(worker, '{"id": "7", "resources": []}') == {
            "id": None, "error": "a request needs an integer id"}
        assert exchange(worker, '{"id": 8}') == {"id": 8, "error": "a request needs a resources list"}
        assert exchange(worker, '{"id": 9, "resources": [{"ResourceId": "x"}]}') == {
            "id": 9, "error": "resources[0].ResourceType must be a non-empty string"}
        # Still serving after the bad lines.
        assert exchange(worker, '{"id": 10, "resources": []}') == {"id": 10, "results": []}

        assert worker.stdin is not None
        worker.stdin.close()
        assert worker.wait(timeout=10) == 0
        assert worker.stdout.read() == ""  # the policy's print never reached the protocol
        assert worker.stderr is not None
        assert "[Test.enc arn:aws:s3:::plain] noise on stdout" in worker.stderr.read()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_worker_reports_missing_policy_directory(pack: Pack, tmp_path: Any) -> None:
    missing = str(tmp_path / "missing_policies")
    worker = subprocess.run(
        [sys.executable, "-m", "posture_engine.worker", "--policies", missing],
        input="", capture_output=True, text=True, timeout=30,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})
    assert worker.returncode == 0
    assert json.loads(worker.stdout) == {
        "ready": True, "policies": [], "errors": [f"{missing}: no such file or directory"]}
