"""posture_engine.spec_tests: panther_analysis_tool-style spec tests, exit codes, summary line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import KNOWN_TYPES, REPO_ROOT, RUNTIME_DIR, Pack

from posture_engine import spec_tests
from posture_engine.specs import load_specs

ENCRYPTION = "def policy(r):\n    return r.get('EncryptionRules') is not None\n"


def case(name: str, expected: bool, **resource: Any) -> dict[str, Any]:
    return {"Name": name, "ExpectedResult": expected, "Resource": resource}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = spec_tests.main(list(args))
    return code, capsys.readouterr().out.splitlines()


def test_builtin_pack_passes_as_a_subprocess() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "posture_engine.spec_tests", "policies", "--resource-types",
         KNOWN_TYPES, "--minimum-tests", "2"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    tests = sum(len(s.data.get("Tests") or []) for s in load_specs([str(REPO_ROOT / "policies")]).policies)
    assert tests >= 80  # the built-in pack: every policy with passing and failing cases
    assert lines[-1] == f"{tests} passed, 0 failed"
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
        "--------------------------", "Test Summary", f"\tPath: {pack.root}", "\tPassed: 1",
        "\tSkipped: 0", "\tFailed: 0", "\tInvalid: 0", "", "2 passed, 0 failed"])


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
    assert "         title: KeyError: 'Name' (aux.py:4 in title)" in lines


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
    assert "         error: RuntimeError: real clock must not be used in tests " \
           "(clock.py:2 in now)" in lines


def test_invalid_spec_exits_one(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("good", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}])])
    pack.policy("bad", ENCRYPTION, Severity="Hgih")
    code, lines = run(capsys, str(pack.root))
    assert code == 1
    assert lines[-1] == "1 passed, 0 failed"
    assert lines[lines.index("Invalid Tests Summary") + 1:][:2] == [
        f"\t{pack.dir}/bad.json",
        "\t\tSeverity: 'Hgih' is not one of Info, Low, Medium, High, Critical"]
    assert "\tInvalid: 1" in lines and "\tPassed: 1" in lines
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
    # Filters that leave nothing to test fail, as in PAT ("No analysis ... matched filters").
    assert (code, lines[-1]) == (1, "0 passed, 0 failed")
    assert f"\t{pack.root}: no policy matched the filters Tags=cis Severity=low" in lines

    code, lines = run(capsys, str(pack.root))
    assert (code, lines[-1]) == (1, "3 passed, 1 failed")  # the disabled policy's test runs
    code, lines = run(capsys, str(pack.root), "--skip-disabled-tests")
    assert (code, lines[-1]) == (0, "3 passed, 0 failed")

    code, lines = run(capsys, str(pack.root), "--skip-disabled-tests", "--minimum-tests", "2")
    assert (code, lines[-1]) == (1, "3 passed, 0 failed")
    assert lines[lines.index("\tTest.high") + 1] == "\t\t1 test(s), at least 2 required"
    assert not any("Test.low:" in line for line in lines)
    code, lines = run(capsys, str(pack.root), "--filter", "PolicyID=Test.low", "--minimum-tests", "1")
    assert code == 0


def test_json_output(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("enc", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}]),
                                          case("b", True)])
    code = spec_tests.main([str(pack.root), "--json"])
    captured = capsys.readouterr()
    # stdout is exactly one JSON document; the human summary went to stderr.
    report = json.loads(captured.out)
    assert code == 1 and captured.err.splitlines()[-1] == "1 passed, 1 failed"
    assert "\tFailed: 1" in captured.err.splitlines()
    assert report["passed"] == 1 and report["failed"] == 1 and report["errors"] == []
    assert (report["invalid"], report["policiesPassed"], report["policiesFailed"]) == (0, 0, 1)
    assert [(t["name"], t["passed"], t["status"]) for t in report["policies"]["Test.enc"]] == [
        ("a", True, "PASS"), ("b", False, "FAIL")]


def selected(lines: list[str]) -> list[str]:
    return [line.split(" (")[0] for line in lines if line.startswith("Test.")]


def test_filter_semantics(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    tests = [case("a", True, EncryptionRules=[{}])]
    pack.policy("s3_high", ENCRYPTION, Severity="High", Tags=["CIS", "S3"], Tests=tests,
                Reports={"CIS AWS Foundations 3.0": ["2.1.1"]})
    pack.policy("s3_low", ENCRYPTION, Severity="Low", Tags=["S3"], Tests=tests)
    pack.policy("iam_crit", ENCRYPTION, Severity="Critical", ResourceTypes=["AWS.IAM.User"],
                Tests=tests)
    pack.policy("off", ENCRYPTION, Severity="High", Enabled=False, Tests=tests)
    root = str(pack.root)
    every = ["Test.iam_crit", "Test.off", "Test.s3_high", "Test.s3_low"]
    assert selected(run(capsys, root)[1]) == every
    # Comma-separated values are ORed; values and keys are case-insensitive.
    assert selected(run(capsys, root, "--filter", "severity=HIGH,critical")[1]) == [
        "Test.iam_crit", "Test.off", "Test.s3_high"]
    # Repeated filters are ANDed; a list field matches when it shares a value.
    assert selected(run(capsys, root, "--filter", "Severity=High,Critical",
                        "--filter", "Tags=cis")[1]) == ["Test.s3_high"]
    assert selected(run(capsys, root, "--filter", "ResourceTypes=aws.iam.user")[1]) == [
        "Test.iam_crit"]
    # KEY!=V excludes every spec matching any of the values.
    assert selected(run(capsys, root, "--filter", "Severity!=High,low")[1]) == ["Test.iam_crit"]
    assert selected(run(capsys, root, "--filter", "Tags!=S3")[1]) == ["Test.iam_crit", "Test.off"]
    assert selected(run(capsys, root, "--filter", "Tags!=S3", "--filter", "Severity=High")[1]) == [
        "Test.off"]
    # An absent Enabled counts as true; a mapping such as Reports matches on its keys.
    assert selected(run(capsys, root, "--filter", "Enabled=true")[1]) == [
        "Test.iam_crit", "Test.s3_high", "Test.s3_low"]
    assert selected(run(capsys, root, "--filter", "Enabled!=true")[1]) == ["Test.off"]
    assert selected(run(capsys, root, "--filter",
                        "Reports=cis aws foundations 3.0")[1]) == ["Test.s3_high"]
    # A field the spec lacks matches nothing, so excluding on it keeps everything.
    assert selected(run(capsys, root, "--filter", "DisplayName=x")[1]) == []
    assert selected(run(capsys, root, "--filter", "DisplayName!=x")[1]) == every


@pytest.mark.parametrize("bad", ["Severity", "=High", "Severity=", "Severity!=", "Severity=,"])
def test_malformed_filters_are_usage_errors(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    with pytest.raises(SystemExit) as exited:
        spec_tests.main(["--filter", bad])
    assert exited.value.code == 2
    assert "expected KEY=VALUE[,VALUE...] or KEY!=VALUE[,VALUE...]" in capsys.readouterr().err


@pytest.mark.parametrize(("bad", "said"), [
    ("Severty=High", "unknown spec field 'Severty'; did you mean Severity?"),
    ("policyid!=x", None),
    ("Bogus=1", "unknown spec field 'Bogus' (spec fields: ActionDelaySeconds, AnalysisType,"),
])
def test_an_unknown_filter_field_is_a_usage_error_with_a_suggestion(
        pack: Pack, capsys: pytest.CaptureFixture[str], bad: str, said: str | None) -> None:
    pack.policy("high", ENCRYPTION, Severity="High", Tests=[case("a", True, EncryptionRules=[{}])])
    if said is None:  # a known field in any case is no error
        assert run(capsys, str(pack.root), "--filter", bad)[0] == 0
        return
    with pytest.raises(SystemExit) as exited:
        spec_tests.main([str(pack.root), "--filter", bad])
    assert exited.value.code == 2
    # One line, no usage block: nothing was tested, the typo is named.
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"posture test: error: argument --filter: {said}")


def test_minimum_tests_above_one_needs_both_outcomes(pack: Pack,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("only_true", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}]),
                                                case("b", True, EncryptionRules=[{"x": 1}])])
    pack.policy("only_false", ENCRYPTION, Tests=[case("a", False), case("b", False)])
    pack.policy("both", ENCRYPTION, Tests=[case("a", True, EncryptionRules=[{}]),
                                           case("b", False)])
    code, lines = run(capsys, str(pack.root), "--minimum-tests", "2")
    assert (code, lines[-1]) == (1, "6 passed, 0 failed")
    problems = lines[lines.index("Failed Tests Summary") + 1:lines.index("Test Summary") - 2]
    assert problems == [
        "\tTest.only_false",
        "\t\tneeds at least one compliant (true) and one non-compliant (false) test",
        "\tTest.only_true",
        "\t\tneeds at least one compliant (true) and one non-compliant (false) test"]
    # N = 1 asks for one test of either kind; N = 3 is more than any policy here has.
    assert run(capsys, str(pack.root), "--minimum-tests", "1")[0] == 0
    code, lines = run(capsys, str(pack.root), "--minimum-tests", "3")
    assert code == 1 and "\t\t2 test(s), at least 3 required" in lines


def test_tests_run_in_killable_workers(pack: Pack, tmp_path: Any) -> None:
    # Run as a subprocess: without isolation these policies would end or hang the runner.
    pack.policy("a_exits", "import os\ndef policy(r):\n    os._exit(1)\n",
                Tests=[case("dies", True, ResourceType="AWS.S3.Bucket")])
    pack.policy("b_hangs", """\
        import collections, itertools
        def policy(r):
            collections.deque(itertools.count(), maxlen=0)
        """, Tests=[case("hangs", True, ResourceType="AWS.S3.Bucket"),
                    case("not run", False, ResourceType="AWS.S3.Bucket")])
    pack.policy("c_patches", """\
        import sys
        def policy(r):
            sys.modules['posture_policy_Test_d_victim'].policy = lambda r: True
            raise KeyboardInterrupt
        """, Tests=[case("patches", True, ResourceType="AWS.S3.Bucket")])
    pack.policy("d_victim", ENCRYPTION,
                Tests=[case("unencrypted", False, ResourceType="AWS.S3.Bucket"),
                       case("encrypted", True, ResourceType="AWS.S3.Bucket",
                            EncryptionRules=[{}])])
    completed = subprocess.run(
        [sys.executable, "-m", "posture_engine.spec_tests", str(pack.root), "--timeout", "0.3",
         "--json"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR), "POSTURE_POLICY_GRACE": "0.5"})
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr.splitlines()[-1] == "2 passed, 4 failed"
    report = json.loads(completed.stdout)["policies"]
    problems = {(pid, o["name"]): o["problems"] for pid, cases in report.items() for o in cases}
    assert problems == {
        ("Test.a_exits", "dies"): ["error: WorkerExited: the worker exited with code 1 while "
                                   "evaluating policy Test.a_exits; it was restarted"],
        ("Test.b_hangs", "hangs"): ["error: WorkerKilled: wall-clock deadline 0.8s exceeded "
                                    "while evaluating policy Test.b_hangs; the worker was killed "
                                    "and restarted"],
        ("Test.b_hangs", "not run"): ["error: WorkerKilled: not evaluated: policy Test.b_hangs "
                                      "exceeded its wall-clock deadline earlier in this batch"],
        ("Test.c_patches", "patches"): ["error: IsolationError: policy changed shared state: "
                                        "the module of policy Test.d_victim: 'policy' replaced"],
        ("Test.d_victim", "unencrypted"): [],
        ("Test.d_victim", "encrypted"): [],
    }
