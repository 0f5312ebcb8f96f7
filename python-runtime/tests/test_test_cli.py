"""posture_engine.test_cli: panther_analysis_tool-style spec tests, exit codes, summary line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import KNOWN_TYPES, REPO_ROOT, RUNTIME_DIR, Pack

from posture_engine import test_cli

ENCRYPTION = "def policy(r):\n    return r.get('EncryptionRules') is not None\n"


def case(name: str, expected: bool, **resource: Any) -> dict[str, Any]:
    return {"Name": name, "ExpectedResult": expected, "Resource": resource}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = test_cli.main(list(args))
    return code, capsys.readouterr().out.splitlines()


def test_builtin_pack_passes_as_a_subprocess() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "posture_engine.test_cli", "policies", "--resource-types",
         KNOWN_TYPES, "--minimum-tests", "2"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[-1] == "30 passed, 0 failed"
    assert "AWS.S3.Bucket.Encryption (policies/aws_s3_policies/aws_s3_bucket_encryption.yml)" in lines


def test_passing_and_failing_tests(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("enc", ENCRYPTION, Tests=[
        case("encrypted", True, EncryptionRules=[{}]),
        case("plain", False, EncryptionRules=None),
        case("wrong expectation", True, EncryptionRules=None),
        case("raises", True),
    ])
    pack.policy("enc_raises", "def policy(r):\n    return r['EncryptionRules'] is not None\n",
                Tests=[case("missing key", True)])
    code, lines = run(capsys, str(pack.root))
    assert code == 1
    assert lines[-1] == "2 passed, 3 failed"
    text = "\n".join(lines)
    assert "  [PASS] encrypted" in text and "  [PASS] plain  → title: Test.enc" in text
    assert "  [FAIL] wrong expectation\n         expected compliant (true), policy returned false" in text
    assert "  [FAIL] missing key\n         error: KeyError: 'EncryptionRules'" in text


def test_all_passing_exits_zero(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("enc", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}]),
                                          case("b", False, EncryptionRules=None)])
    assert run(capsys, str(pack.root)) == (0, [
        f"Test.enc ({pack.dir}/enc.json)", "  [PASS] a", "  [PASS] b  → title: Test.enc", "",
        "2 passed, 0 failed"])


def test_optional_function_errors_fail_a_false_test(pack: Pack,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("aux", ENCRYPTION + "def title(r):\n    return r['Name'].upper()\n", Tests=[
        case("compliant test ignores title", True, EncryptionRules=[{}]),
        case("non-compliant with name", False, EncryptionRules=None, Name="b"),
        case("non-compliant without name", False, EncryptionRules=None),
    ])
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 1 failed"
    assert "  [FAIL] non-compliant without name" in lines
    assert "         title: KeyError: 'Name'" in lines


def test_mocks_replace_module_attributes(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("clock", """\
        def now():
            raise RuntimeError('real clock must not be used in tests')
        def policy(r):
            return now() < r['Expires']
        """, Tests=[
        {**case("future", True, Expires="2030"), "Mocks": [{"objectName": "now",
                                                            "returnValue": "2024"}]},
        {**case("past", False, Expires="2020"), "Mocks": [{"objectName": "now",
                                                           "returnValue": "2024"}]},
        {**case("unknown mock", True, Expires="2030"), "Mocks": [{"objectName": "nope",
                                                                  "returnValue": 1}]},
        case("unmocked", True, Expires="2030"),
    ])
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 2 failed"
    assert "         Mocks: 'nope' is not defined in the policy module" in lines
    assert "         error: RuntimeError: real clock must not be used in tests" in lines


def test_invalid_spec_exits_one(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("good", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}])])
    pack.policy("bad", ENCRYPTION, Severity="Hgih")
    code, lines = run(capsys, str(pack.root))
    assert code == 1
    assert lines[-1] == "1 passed, 0 failed"
    assert f"  {pack.dir}/bad.json: Severity: 'Hgih' is not one of Info, Low, Medium, High, " \
           "Critical" in lines
    pack.policy("typo_type", ENCRYPTION, ResourceTypes=["AWS.S3.Bukcet"])
    (pack.dir / "bad.json").unlink()
    assert run(capsys, str(pack.root))[0] == 0
    assert run(capsys, str(pack.root), "--resource-types", KNOWN_TYPES)[0] == 1


def test_filters_minimum_tests_and_disabled(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("high", ENCRYPTION, Severity="High", Tags=["CIS"],
                Tests=[case("a", True, EncryptionRules=[{}])])
    pack.policy("low", ENCRYPTION, Severity="Low", Tests=[case("a", True, EncryptionRules=[{}]),
                                                           case("b", False)])
    pack.policy("off", ENCRYPTION, Enabled=False, Tests=[case("broken", False, EncryptionRules=[{}])])

    code, lines = run(capsys, str(pack.root), "--filter", "Severity=High,Critical")
    assert (code, lines[-1]) == (0, "1 passed, 0 failed")
    assert [line for line in lines if line.startswith("Test.")] == [f"Test.high ({pack.dir}/high.json)"]
    code, lines = run(capsys, str(pack.root), "--filter", "Tags=cis", "--filter", "Severity=Low")
    assert (code, lines[-1]) == (0, "0 passed, 0 failed")

    code, lines = run(capsys, str(pack.root))
    assert (code, lines[-1]) == (1, "3 passed, 1 failed")  # the disabled policy's test runs
    code, lines = run(capsys, str(pack.root), "--skip-disabled-tests")
    assert (code, lines[-1]) == (0, "3 passed, 0 failed")

    code, lines = run(capsys, str(pack.root), "--skip-disabled-tests", "--minimum-tests", "2")
    assert (code, lines[-1]) == (1, "3 passed, 0 failed")
    assert "  Test.high: 1 test(s), at least 2 required" in lines
    assert not any("Test.low:" in line for line in lines)
    code, lines = run(capsys, str(pack.root), "--filter", "PolicyID=Test.low", "--minimum-tests", "1")
    assert code == 0


def test_json_output(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("enc", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}]),
                                          case("b", True)])
    code, lines = run(capsys, str(pack.root), "--json")
    assert code == 1 and len(lines) == 2 and lines[-1] == "1 passed, 1 failed"
    report = json.loads(lines[0])
    assert report["passed"] == 1 and report["failed"] == 1 and report["errors"] == []
    assert [(t["name"], t["passed"], t["status"]) for t in report["policies"]["Test.enc"]] == [
        ("a", True, "PASS"), ("b", False, "FAIL")]
