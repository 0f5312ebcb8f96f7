"""Hostile policies (tests/hostile_policies) next to the built-in pack: isolation for real.

Every evaluation runs in a subprocess, so an engine that fails to contain a policy (os._exit,
a C-level hang) fails the test instead of taking pytest down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, RUNTIME_DIR

HOSTILE = RUNTIME_DIR / "tests" / "hostile_policies"
BUILT_IN = REPO_ROOT / "policies"

# PolicyID suffix → acceptable errorMessage prefixes ("PASS": the policy returns normally and
# changes nothing anyone else sees, so its honest verdict stands).
EXPECTED: dict[str, tuple[str, ...]] = {
    "KeyboardInterrupt": ("KeyboardInterrupt",),
    "GeneratorExit": ("GeneratorExit: bye",),
    "SysExit": ("SystemExit: 3",),
    "OsExit": ("WorkerExited: the worker exited with code 1 while evaluating policy "
               "AA.Hostile.OsExit",),
    "SigkillSelf": ("WorkerExited: the worker was killed by SIGKILL while evaluating policy "
                    "AA.Hostile.SigkillSelf",),
    "CLoop": ("WorkerKilled: wall-clock deadline 1.25s exceeded while evaluating policy "
              "AA.Hostile.CLoop", "WorkerKilled: not evaluated: policy AA.Hostile.CLoop"),
    # The regex engine may or may not let the signal handler in; a kill or a time-out, then.
    "ReDoS": ("WorkerKilled:", "TimeoutError: policy exceeded 0.25s"),
    # The in-worker time limit, unless an earlier hostile policy disabled the timer in the
    # same worker: then the wall-clock kill.
    "Sleep": ("TimeoutError: policy exceeded 0.25s", "WorkerKilled:"),
    "AlarmCancel": ("IsolationError: policy changed shared state: the interval timer was "
                    "changed or cancelled",),
    "SetitimerSpin": ("WorkerKilled:",),
    "SigalrmIgnore": ("IsolationError: policy changed shared state: the SIGALRM handler was "
                      "replaced",),
    "MemoryBomb": ("MemoryError",),
    "ListGrowth": ("MemoryError", "TimeoutError: policy exceeded 0.25s"),
    "DeepRecursion": ("RecursionError: maximum recursion depth exceeded",),
    "StackOverflow": ("WorkerExited: the worker was killed by SIG", "RecursionError",
                      "WorkerKilled:",
                      "MemoryError", "IsolationError: policy changed shared state: the "
                      "recursion limit changed"),
    "SetRecursionLimit": ("IsolationError: policy changed shared state: the recursion limit "
                          "changed",),
    "PatchOtherPolicy": ("IsolationError: policy changed shared state: the module of policy "
                         "AWS.S3.Bucket.Encryption: 'policy' replaced",),
    "PatchFunctionCode": ("IsolationError: policy changed shared state: the module of policy "
                          "AWS.S3.Bucket.MFADelete: function policy: code or defaults replaced",),
    # The worker freezes the objects it inherits out of the collector's reach (gc.freeze), so
    # gc.get_objects() does not even find the module; if it did, the check would catch it.
    "GcPatch": ("PASS", "IsolationError: policy changed shared state: the module of policy "
                "AWS.S3.Bucket.PublicAccessBlock: 'policy' replaced"),
    "PatchLen": ("IsolationError: policy changed shared state: builtins: 'len' replaced",),
    "PatchBool": ("IsolationError: policy changed shared state: builtins: 'any' replaced",
                  "IsolationError: policy changed shared state: builtins: 'bool' replaced"),
    "PatchEngine": ("IsolationError: policy changed shared state: module posture_engine.engine: "
                    "'evaluate_pair' replaced",),
    "PatchReadonlyClass": ("IsolationError: policy changed shared state: class "
                           "posture_engine.readonly.ReadOnlyDict: '__setitem__' replaced",),
    "PatchGlobalHelper": ("IsolationError: policy changed shared state: module posture_network: "
                          "'world_open_ports' replaced",),
    "ResourceSetitem": ("IsolationError: policy wrote to the read-only resource",),
    "NestedListWrite": ("IsolationError: policy wrote to the read-only resource", "PASS"),
    "ObjectSetattr": ("TypeError: __class__ assignment only supported for mutable types",),
    "ThreadLeftRunning": ("IsolationError: policy changed shared state: a thread was left "
                          "running",),
    "EnvironChange": ("IsolationError: policy changed shared state: os.environ changed",),
    "Chdir": ("IsolationError: policy changed shared state: the working directory changed",),
    "SetTrace": ("IsolationError: policy changed shared state: a trace or profile function "
                 "was set",),
    "ForkChildren": ("PASS",),
    "ForkReturns": ("PASS",),
    "CloseStdout": ("PASS",),
    "PrintGarbage": ("PASS",),
    "ReadStdin": ("PASS",),
    "CloseAllFds": ("WorkerExited: the worker exited with code 70 while evaluating policy "
                    "AA.Hostile.CloseAllFds",),
    "CloseFdsThenHang": ("WorkerKilled:",),
    "ReplaceStdout": ("IsolationError: policy changed shared state: sys.stdin, sys.stdout or "
                      "sys.stderr replaced",),
    "PatchStdlib": ("IsolationError: policy changed shared state: module json: 'loads' replaced",),
    "TitleOsExit": ("WorkerExited: the worker exited with code 2 while evaluating policy "
                    "AA.Hostile.TitleOsExit",),
}

RUNNER = """\
import json, sys, time
sys.path.insert(0, {runtime!r})
from posture_engine import Engine
dirs, resources_file, out_file = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
engine = Engine.from_directories(dirs, timeout=0.25)
resources = json.load(open(resources_file))
started = time.monotonic()
results = engine.evaluate(resources)
json.dump({{"errors": engine.errors, "results": results, "seconds": time.monotonic() - started}},
          open(out_file, "w"))
"""


def sample_resources() -> list[dict[str, Any]]:
    """The built-in pack's own S3 bucket and security group test resources, each id unique."""
    resources: list[dict[str, Any]] = []
    for spec_path in sorted(BUILT_IN.glob("aws_*_policies/*.yml")):
        import yaml

        spec = yaml.safe_load(spec_path.read_text())
        for test in spec.get("Tests") or []:
            resource = test["Resource"]
            if resource.get("ResourceType") in ("AWS.S3.Bucket", "AWS.EC2.SecurityGroup"):
                copy = json.loads(json.dumps(resource))
                copy["ResourceId"] = f"{resource['ResourceId']}#{len(resources)}"
                resources.append(copy)
    # Every fourth one (a soft time-out costs its full limit per pair, and the hostile pack has
    # three of them); both types and both verdicts stay represented.
    return resources[::4]


def run_engine(tmp_path: Path, name: str, dirs: list[Path], resources: list[dict[str, Any]],
               env: dict[str, str] | None = None) -> dict[str, Any]:
    resources_file = tmp_path / f"{name}-resources.json"
    resources_file.write_text(json.dumps(resources))
    out_file = tmp_path / f"{name}-out.json"
    completed = subprocess.run(
        [sys.executable, "-c", RUNNER.format(runtime=str(RUNTIME_DIR)),
         json.dumps([str(d) for d in dirs]), str(resources_file), str(out_file)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "POSTURE_POLICY_GRACE": "1", "POSTURE_POLICY_MEMORY_MB": "512",
             **(env or {})})
    assert completed.returncode == 0, (
        f"the engine process itself failed (code {completed.returncode}): "
        f"{completed.stderr[-2000:]}")
    output: dict[str, Any] = json.loads(out_file.read_text())
    assert output["errors"] == []
    return output


def test_the_hostile_pack_is_large_enough() -> None:
    specs = sorted(p.stem for p in HOSTILE.glob("*.yml"))
    assert len(specs) >= 20
    assert sorted(p.stem for p in HOSTILE.glob("*.py")) == specs
    assert len(EXPECTED) == len(specs)


def test_hostile_policies_cannot_change_other_verdicts_hang_or_crash(tmp_path: Path) -> None:
    resources = sample_resources()
    assert len(resources) >= 10
    pids_file = tmp_path / "forked-pids"
    baseline = run_engine(tmp_path, "baseline", [BUILT_IN], resources)
    started = time.monotonic()
    mixed = run_engine(tmp_path, "mixed", [BUILT_IN, HOSTILE], resources,
                       {"POSTURE_HOSTILE_PIDS": str(pids_file)})
    elapsed = time.monotonic() - started
    assert elapsed < 150, f"the batch took {elapsed:.0f}s"

    def key(result: dict[str, Any]) -> tuple[str, str]:
        return result["policyId"], result["resourceId"]

    built_in = [r for r in mixed["results"] if not r["policyId"].startswith("AA.Hostile.")]
    hostile = [r for r in mixed["results"] if r["policyId"].startswith("AA.Hostile.")]
    # Every built-in pair, in order, exactly as without the hostile pack (the whole record:
    # status, title, alert context...).
    assert [key(r) for r in built_in] == [key(r) for r in baseline["results"]]
    changed = [(key(a), a["status"], b["status"], a["errorMessage"])
               for a, b in zip(built_in, baseline["results"]) if a != b]
    assert changed == []
    assert any(r["status"] == "FAIL" for r in built_in)  # there were verdicts to flip

    # Every hostile pair: ERROR naming what happened, or its honest verdict.
    assert len(hostile) == len(EXPECTED) * len(resources)
    wrong = []
    for result in hostile:
        allowed = EXPECTED[result["policyId"].removeprefix("AA.Hostile.")]
        shown = result["status"] if result["status"] != "ERROR" else result["errorMessage"]
        if not any(shown.startswith(prefix) for prefix in allowed):
            wrong.append((key(result), shown))
    assert wrong == []

    # The processes the hostile policy forked were killed with its worker.
    pids = [int(line) for line in pids_file.read_text().split()] if pids_file.exists() else []
    assert pids
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    assert not [pid for pid in pids if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (already dead, not yet reaped by init) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("case", ["os_exit", "c_loop", "patch_other_policy", "resource_setitem"])
def test_each_hostile_case_alone_leaves_the_built_in_pack_intact(tmp_path: Path,
                                                                  case: str) -> None:
    pack = tmp_path / "one_policies"
    pack.mkdir()
    for suffix in (".py", ".yml"):
        (pack / f"{case}{suffix}").write_text((HOSTILE / f"{case}{suffix}").read_text())
    resources = sample_resources()
    baseline = run_engine(tmp_path, "baseline", [BUILT_IN], resources)
    mixed = run_engine(tmp_path, "mixed", [BUILT_IN, pack], resources)
    built_in = [r for r in mixed["results"] if not r["policyId"].startswith("AA.Hostile.")]
    assert built_in == baseline["results"]
    assert {r["status"] for r in mixed["results"] if r["policyId"].startswith("AA.")} == {"ERROR"}
