"""The JSON-lines worker, spawned as the TypeScript local runtime spawns it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from conftest import RUNTIME_DIR, Pack, bucket, full_results


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
    pack.policy("waf", "def policy(r):\n    return True\n", ResourceTypes=["AWS.WAF.WebACL"])
    worker = start_worker(pack, "--resource-types", "AWS.S3.Bucket,AWS.IAM.User",
                          "--known-types", "AWS.WAF.WebACL", "--timeout", "0.5")
    try:
        assert worker.stdout is not None
        ready = json.loads(worker.stdout.readline())
        # A known but unscanned type loads (its policy is listed with its targets); a type
        # neither scanned nor known is invalid.
        assert ready == {"ready": True, "policies": ["Test.enc", "Test.waf"], "errors": [
            f"{pack.dir}/typo.json: ResourceTypes: 'AWS.S3.Bukcet' is not a known resource type "
            "(did you mean AWS.S3.Bucket?)"],
            "targets": {"Test.enc": ["AWS.S3.Bucket"], "Test.waf": ["AWS.WAF.WebACL"]},
            "names": {"Test.enc": None, "Test.waf": None}, "deselected": []}

        reply = exchange(worker, json.dumps({"id": 1, "resources": [
            bucket("arn:aws:s3:::plain"), bucket("arn:aws:s3:::enc", EncryptionRules=[{}])]}))
        assert reply["id"] == 1
        assert [(r["resourceId"], r["status"], r["severity"]) for r in full_results(reply)] == [
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
        assert exchange(worker, '{"id": 10, "resources": []}') == {"id": 10, "policies": {}, "results": []}

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
        "ready": True, "policies": [], "errors": [f"{missing}: no such file or directory"],
        "targets": {}, "names": {}, "deselected": []}


def test_worker_survives_policies_that_exit_hang_or_close_stdout(pack: Pack) -> None:
    pack.policy("a_exits", """\
        import os
        def policy(r):
            if r['Name'] == 'exit-me':
                os._exit(1)
            return True
        """)
    pack.policy("b_hangs", """\
        import collections, itertools
        def policy(r):
            if r['Name'] == 'hang-me':
                collections.deque(itertools.count(), maxlen=0)  # C code: no signal gets in
            return True
        """)
    pack.policy("c_closes_stdout", """\
        import os, sys
        def policy(r):
            print('}{ garbage')
            try:
                os.write(1, b'more garbage\\n')
                os.close(1)
            except OSError:  # closed by this policy, earlier in the same worker
                pass
            sys.stdin.read()
            return True
        """)
    pack.policy("d_good", "def policy(r):\n    return r['EncryptionRules'] is not None\n")
    worker = subprocess.Popen(
        [sys.executable, "-m", "posture_engine.worker", "--policies", str(pack.root),
         "--timeout", "0.3"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR), "POSTURE_POLICY_GRACE": "0.5"})
    try:
        assert worker.stdout is not None
        ready = json.loads(worker.stdout.readline())
        assert ready["policies"] == ["Test.a_exits", "Test.b_hangs", "Test.c_closes_stdout",
                                     "Test.d_good"]

        def statuses(reply: dict[str, Any]) -> list[tuple[str, str, str | None]]:
            return [(r["resourceId"].split(":")[-1], r["policyId"].removeprefix("Test."),
                     r["errorMessage"] or r["status"]) for r in full_results(reply)]

        reply = exchange(worker, json.dumps({"id": 1, "resources": [
            bucket("arn:aws:s3:::exit-me"), bucket("arn:aws:s3:::plain")]}))
        assert reply["id"] == 1
        assert statuses(reply) == [
            ("exit-me", "a_exits", "WorkerExited: the worker exited with code 1 while "
                                   "evaluating policy Test.a_exits; it was restarted"),
            ("exit-me", "b_hangs", "PASS"), ("exit-me", "c_closes_stdout", "PASS"),
            ("exit-me", "d_good", "FAIL"),
            ("plain", "a_exits", "PASS"), ("plain", "b_hangs", "PASS"),
            ("plain", "c_closes_stdout", "PASS"), ("plain", "d_good", "FAIL")]

        reply = exchange(worker, json.dumps({"id": 2, "resources": [
            bucket("arn:aws:s3:::hang-me"), bucket("arn:aws:s3:::enc", EncryptionRules=[{}])]}))
        assert statuses(reply) == [
            ("hang-me", "a_exits", "PASS"),
            ("hang-me", "b_hangs", "WorkerKilled: wall-clock deadline 0.8s exceeded while "
                                   "evaluating policy Test.b_hangs; the worker was killed and "
                                   "restarted"),
            ("hang-me", "c_closes_stdout", "PASS"), ("hang-me", "d_good", "FAIL"),
            ("enc", "a_exits", "PASS"),
            ("enc", "b_hangs", "WorkerKilled: not evaluated: policy Test.b_hangs exceeded its "
                               "wall-clock deadline earlier in this batch"),
            ("enc", "c_closes_stdout", "PASS"), ("enc", "d_good", "PASS")]

        # Later requests are served by fresh workers as usual.
        reply = exchange(worker, json.dumps({"id": 3, "resources": [
            bucket("arn:aws:s3:::enc", EncryptionRules=[{}])]}))
        assert statuses(reply) == [("enc", "a_exits", "PASS"), ("enc", "b_hangs", "PASS"),
                                   ("enc", "c_closes_stdout", "PASS"), ("enc", "d_good", "PASS")]

        assert worker.stdin is not None
        worker.stdin.close()
        assert worker.wait(timeout=10) == 0
        assert worker.stdout.read() == ""  # nothing but replies ever reached the protocol
        assert worker.stderr is not None
        log = worker.stderr.read()
        assert "[Test.c_closes_stdout arn:aws:s3:::plain] }{ garbage" in log
        assert "more garbage" in log
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
