"""panther_analysis_tool `test` semantics on a pack in PAT's shape (test/fixtures/pat-pack):
MagicMock Mocks in both the isolated and the in-process runner, the Passed/Failed/Invalid summary
and its --json document, retired-but-documented types, paths without policies, and where a
raising policy failed (in test output and in the engine's ERROR results)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import KNOWN_TYPES, REPO_ROOT, RUNTIME_DIR, Pack

from posture_engine import spec_tests
from posture_engine.engine import Engine, compile_specs
from posture_engine.isolation import Limits
from posture_engine.specs import load_specs

PACK = REPO_ROOT / "test" / "fixtures" / "pat-pack"
EXPECTED = json.loads((PACK / "expected-counts.json").read_text())
WAF_CLASSIC = "AWS.WAF.WebACL,AWS.WAF.Regional.WebACL"
TYPE_ARGS = ["--resource-types", KNOWN_TYPES, "--known-types", WAF_CLASSIC]
RAISES = "ZeroDivisionError: division by zero (aws_s3_bucket_versioning.py:10 in policy)"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = spec_tests.main([*args, "--json", "--no-install"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


@pytest.mark.parametrize("isolation", ["on", "off"])
def test_pack_counts_match_pat(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                               isolation: str) -> None:
    # The same counts whether tests run in killable workers (CaseJob) or in this process.
    monkeypatch.setenv("POSTURE_ISOLATION", isolation)
    code, report, err = run_json(capsys, str(PACK), *TYPE_ARGS)
    assert code == EXPECTED["exitCode"]
    assert (report["passed"], report["failed"]) == (EXPECTED["tests"]["passed"],
                                                    EXPECTED["tests"]["failed"])
    assert (report["policiesPassed"], report["policiesFailed"], report["policiesSkipped"]) == (
        EXPECTED["policies"]["passed"], EXPECTED["policies"]["failed"],
        EXPECTED["policies"]["skipped"])
    assert report["invalid"] == EXPECTED["invalid"]
    broken = "test/fixtures/pat-pack/aws_broken_policies"
    assert {(entry["file"].split("pat-pack/")[1], tuple(entry["problems"]))
            for entry in report["invalidSpecs"]} == {
        ("aws_broken_policies/bad_severity.yml",
         ("Severity: 'Urgent' is not one of Info, Low, Medium, High, Critical",)),
        ("aws_broken_policies/missing_file.yml",
         ("Filename: 'not_written_yet.py' does not exist",)),
        ("aws_broken_policies/missing_severity.yml", ("Severity: required field is missing",)),
        ("aws_broken_policies/unknown_type.yml",
         ("ResourceTypes: 'AWS.S3.Bukcet' is not a known resource type "
          "(did you mean AWS.S3.Bucket?)",)),
    }
    assert all(broken in entry["file"] for entry in report["invalidSpecs"])
    cases = {(pid, c["name"]): c for pid, listed in report["policies"].items() for c in listed}
    assert cases[("PatPack.S3.Bucket.Versioning", "Bucket whose policy raises ZeroDivisionError")][
        "problems"] == [f"error: {RAISES}"]
    # Mocks: the MagicMock was called and recognised by isinstance (the policy asserts both).
    assert all(c["passed"] for (pid, _), c in cases.items() if pid == "PatPack.S3.Bucket.Recent")
    assert report["failedPolicies"] == ["PatPack.S3.Bucket.Versioning"]
    # The human summary went to stderr, ending with the test counts.
    assert err.splitlines()[-8:] == ["Test Summary", f"\tPath: {PACK}", "\tPassed: 3",
                                     "\tSkipped: 0", "\tFailed: 1", "\tInvalid: 4", "",
                                     "7 passed, 2 failed"]


def test_text_report_lists_invalid_specs_like_pat(capsys: pytest.CaptureFixture[str]) -> None:
    code = spec_tests.main([str(PACK), *TYPE_ARGS, "--no-install"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1 and lines[-1] == "7 passed, 2 failed"
    assert lines[lines.index("Test Summary"):] == [
        "Test Summary", f"\tPath: {PACK}", "\tPassed: 3", "\tSkipped: 0", "\tFailed: 1",
        "\tInvalid: 4", "", "7 passed, 2 failed"]
    invalid = lines[lines.index("Invalid Tests Summary") + 1:]
    assert f"\t{PACK}/aws_broken_policies/bad_severity.yml" in invalid
    assert "\t\tSeverity: 'Urgent' is not one of Info, Low, Medium, High, Critical" in invalid
    assert f"         error: {RAISES}" in lines


def test_retired_types_are_invalid_unless_known(capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = run_json(capsys, str(PACK), "--resource-types", KNOWN_TYPES)
    assert report["invalid"] == 5  # the WAF Classic policy too, without --known-types
    assert any(e["file"].endswith("aws_waf_webacl_default_block.yml") for e in report["invalidSpecs"])
    assert "PatPack.WAF.WebACL.DefaultBlock" not in report["policies"]


@pytest.mark.parametrize("isolate", [True, False])
def test_mocks_are_magicmocks_restored_after_the_test(pack: Pack, isolate: bool) -> None:
    pack.policy("clock", """\
        from unittest.mock import MagicMock
        def now():
            return 'real'
        def policy(r):
            value = now()
            return isinstance(now, MagicMock) and value == r['Want'] and now.call_count == 1
        """, Tests=[{"Name": "mocked", "ExpectedResult": True, "Resource": {"Want": {"a": 1}},
                     "Mocks": [{"objectName": "now", "returnValue": {"a": 1}}]},
                    {"Name": "unmocked", "ExpectedResult": False, "Resource": {"Want": "real"}}])
    policies, errors = compile_specs(load_specs([str(pack.root)]))
    assert errors == []
    original = policies[0].module.now
    outcomes = spec_tests.run_tests(policies, policies, 1.0, Limits(isolate=isolate))
    assert [(o.name, o.passed, o.problems) for o in outcomes["Test.clock"]] == [
        ("mocked", True, []), ("unmocked", True, [])]
    assert policies[0].module.now is original  # patched for the test only


def test_a_mock_of_an_undefined_name_fails_the_test_as_in_pat(pack: Pack) -> None:
    # PAT patches with patch.multiple, which raises AttributeError for a missing attribute and
    # counts the test as failed; so does Posture, with one clear line.
    pack.policy("p", "def policy(r):\n    return True\n", Tests=[
        {"Name": "t", "ExpectedResult": True, "Resource": {},
         "Mocks": [{"objectName": "missing", "returnValue": "x"}]}])
    policies, _ = compile_specs(load_specs([str(pack.root)]))
    for isolate in (True, False):
        [outcome] = spec_tests.run_tests(policies, policies, 1.0, Limits(isolate=isolate))["Test.p"]
        assert (outcome.passed, outcome.problems) == (
            False, ["Mocks: 'missing' is not defined in the policy module"])


def test_a_mock_needs_a_return_value_as_in_pats_schema(pack: Pack) -> None:
    pack.policy("p", "def policy(r):\n    return True\n", Tests=[
        {"Name": "t", "ExpectedResult": True, "Resource": {}, "Mocks": [{"objectName": "x"}]}])
    assert load_specs([str(pack.root)]).errors == [
        f"{pack.dir}/p.json: Tests[0].Mocks[0].returnValue: required field is missing"]


def test_paths_without_policies_are_errors(tmp_path: Path, pack: Pack,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    elsewhere = tmp_path / "src" / "lib"
    elsewhere.mkdir(parents=True)
    (elsewhere / "p.yml").write_text("AnalysisType: policy\n")
    looked_for = ('looked for a .yml/.yaml/.json spec in a folder whose name contains '
                  '"policies" (or "global" for helpers)')
    for path in (empty, tmp_path / "src"):
        code, report, err = run_json(capsys, str(path))
        assert code == 1 and report["errors"] == [f"{path}: no policy found: {looked_for}"]
        assert err.splitlines()[-1] == "0 passed, 0 failed"
    pack.global_("helpers", "X = 1\n")
    code, report, _ = run_json(capsys, str(pack.root))
    assert code == 1 and report["errors"] == [
        f"{pack.root}: no policy found: only global helpers (AnalysisType: global), "
        "no spec with AnalysisType: policy"]


def test_bundle_refuses_a_path_without_policies(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "posture_engine.bundle_cli", str(tmp_path), "--out",
         str(tmp_path / "b.zip"), "--no-install"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})
    assert completed.returncode == 1 and not (tmp_path / "b.zip").exists()
    assert f"{tmp_path}: no policy found" in completed.stdout


@pytest.mark.parametrize("isolation", ["on", "off"])
def test_engine_error_results_name_the_policy_line(pack: Pack, monkeypatch: pytest.MonkeyPatch,
                                                   isolation: str) -> None:
    monkeypatch.setenv("POSTURE_ISOLATION", isolation)
    pack.policy("ratio", """\
        def _share(r):
            return 1 / len(r['Grants'])
        def policy(r):
            return _share(r) > 0
        def title(r):
            return r['Missing']
        """)
    engine = Engine.from_directories([str(pack.root)])
    raising, failing = engine.evaluate([
        {"ResourceId": "a", "ResourceType": "AWS.S3.Bucket", "Grants": [], "Secret": "v4lue"},
        {"ResourceId": "b", "ResourceType": "AWS.S3.Bucket", "Grants": [1, 2]}])
    # The deepest frame in the policy's file; no resource value beyond the exception's text.
    assert raising["errorMessage"] == "ZeroDivisionError: division by zero (ratio.py:2 in _share)"
    assert "v4lue" not in raising["errorMessage"]
    assert failing["status"] == "PASS"
    engine.policies[0].module.policy = lambda r: False  # now every resource fails: title raises
    assert engine.evaluate([{"ResourceId": "c", "ResourceType": "AWS.S3.Bucket"}])[0][
        "outputErrors"] == ["title: KeyError: 'Missing' (ratio.py:6 in title)"]
