"""Every kind of bad input the issue lists, end to end through `posture test`'s engine side.

Each case checks the exact message and that the rest of the pack is unaffected.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import Pack

from posture_engine import spec_tests

GOOD = "def policy(resource):\n    return resource.get('Name') != 'bad'\n"
GOOD_TESTS = [{"Name": "good bucket", "ExpectedResult": True, "Resource": {"Name": "ok"}},
              {"Name": "bad bucket", "ExpectedResult": False, "Resource": {"Name": "bad"}}]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = spec_tests.main([*args, "--no-install"])
    return code, flat_invalid(capsys.readouterr().out.splitlines())


def flat_invalid(lines: list[str]) -> list[str]:
    """The report with PAT's Invalid Tests Summary (a spec file, then its reasons indented)
    written as one `  <file>: <reason>` line per reason, which is what the tests compare."""
    if "Invalid Tests Summary" not in lines:
        return lines
    start = lines.index("Invalid Tests Summary") + 1
    end = lines.index("", start)
    section = lines[start:end]
    flat: list[str] = []
    for index, line in enumerate(section):
        if line.startswith("\t\t"):
            continue
        reasons = []
        for following in section[index + 1:]:
            if not following.startswith("\t\t"):
                break
            reasons.append(following[2:])
        # An error about no spec file (a missing path) is an entry without reasons.
        flat += [f"  {line[1:]}: {reason}" for reason in reasons] or [f"  {line[1:]}"]
    return lines[:start] + flat + lines[end:]


def with_a_good_policy(pack: Pack) -> None:
    """The healthy neighbour whose two tests must keep passing whatever else is broken."""
    pack.policy("healthy", GOOD, Tests=GOOD_TESTS)


# (field, wrong value, message) for every field of a policy spec.
POLICY_FIELDS: list[tuple[str, Any, str]] = [
    ("AnalysisType", 1, "1 is not one of policy, global"),
    ("Enabled", "yes", "expected true or false, got string"),
    ("Filename", 1, "expected a string, got integer"),
    ("PolicyID", ["x"], "expected a string, got list"),
    ("ResourceTypes", "AWS.S3.Bucket", "expected a list of strings, got string"),
    ("Severity", 3, "3 is not one of Info, Low, Medium, High, Critical"),
    ("DisplayName", 1, "expected a string, got integer"),
    ("Description", ["d"], "expected a string, got list"),
    ("Runbook", {"a": 1}, "expected a string, got mapping"),
    ("Reference", 2.5, "expected a string, got number"),
    ("Tags", "CIS", "expected a list of strings, got string"),
    ("Reports", ["CIS"], "expected a mapping of framework to controls, got list"),
    ("Suppressions", "arn:*", "expected a list of strings, got string"),
    ("OutputIds", [1], "item 0 is not a string (got integer)"),
    ("Tests", {"Name": "t"}, "expected a list, got mapping"),
    ("ActionDelaySeconds", "60", "expected an integer, got string"),
    ("AutoRemediationID", True, "expected a string, got boolean"),
    ("AutoRemediationParameters", [], "expected a mapping, got list"),
]


@pytest.mark.parametrize("field, value, message", POLICY_FIELDS, ids=[f[0] for f in POLICY_FIELDS])
def test_wrong_type_in_each_policy_field(pack: Pack, capsys: pytest.CaptureFixture[str],
                                         field: str, value: Any, message: str) -> None:
    with_a_good_policy(pack)
    pack.policy("broken", GOOD, **{field: value})
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 0 failed"
    assert f"  {pack.dir}/broken.json: {field}: {message}" in lines


def test_the_policy_field_table_covers_every_field() -> None:
    from posture_engine.specs import _POLICY_FIELDS  # the validator's own list

    assert [f[0] for f in POLICY_FIELDS] == list(_POLICY_FIELDS)


TEST_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"Name": 1}, "Tests[0].Name", "expected a string, got integer"),
    ({"ExpectedResult": "false"}, "Tests[0].ExpectedResult", "expected true or false, got string"),
    ({"Resource": ["Name"]}, "Tests[0].Resource", "expected a mapping, got list"),
    ({"Mocks": {"objectName": "x"}}, "Tests[0].Mocks", "expected a list, got mapping"),
    ({"Mocks": ["now"]}, "Tests[0].Mocks[0]", "expected a mapping, got string"),
    ({"Mocks": [{"objectName": 7, "returnValue": 1}]}, "Tests[0].Mocks[0].objectName",
     "7 is not a Python name"),
    ({"Mocks": [{"objectName": "now", "value": 1}]}, "Tests[0].Mocks[0].value", "unknown field"),
    ({"Log": "event"}, "Tests[0].Log", "expected a mapping, got string"),
    ({"Nmae": "typo"}, "Tests[0].Nmae", "unknown field (did you mean Name?)"),
]


@pytest.mark.parametrize("change, where, message", TEST_FIELDS, ids=[f[1] for f in TEST_FIELDS])
def test_wrong_type_in_each_test_field(pack: Pack, capsys: pytest.CaptureFixture[str],
                                       change: dict[str, Any], where: str, message: str) -> None:
    with_a_good_policy(pack)
    pack.policy("broken", GOOD, Tests=[{**GOOD_TESTS[0], **change}])
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 0 failed"
    assert f"  {pack.dir}/broken.json: {where}: {message}" in lines


GLOBAL_FIELDS: list[tuple[str, Any, str]] = [
    ("Filename", ["g.py"], "expected a string, got list"),
    ("GlobalID", 5, "expected a string, got integer"),
    ("Description", 5, "expected a string, got integer"),
    ("Tags", [None], "item 0 is not a string (got null)"),
]


@pytest.mark.parametrize("field, value, message", GLOBAL_FIELDS, ids=[f[0] for f in GLOBAL_FIELDS])
def test_wrong_type_in_each_global_field(pack: Pack, capsys: pytest.CaptureFixture[str],
                                         field: str, value: Any, message: str) -> None:
    with_a_good_policy(pack)
    spec = {"AnalysisType": "global", "Filename": "g.py", "GlobalID": "g", field: value}
    pack.raw("g.py", "X = 1\n")
    pack.raw("g.json", json.dumps(spec))
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 0 failed"
    assert f"  {pack.dir}/g.json: {field}: {message}" in lines


def test_malformed_yaml(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    with_a_good_policy(pack)
    pack.raw("broken.yml", "AnalysisType: policy\nPolicyID: [unclosed\nSeverity: Low\n")
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 0 failed"
    [error] = [line for line in lines if "broken.yml" in line]
    assert error.startswith(f"  {pack.dir}/broken.yml: invalid YAML at line ")


def test_duplicate_policy_ids_in_different_folders_name_both_files(
        pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    with_a_good_policy(pack)
    other = Pack(pack.root / "more")  # <root>/more/test_policies
    first = pack.policy("one", GOOD, PolicyID="Test.Shared")
    second = other.policy("two", GOOD, PolicyID="Test.Shared")
    code, lines = run(capsys, str(pack.root))
    assert code == 1
    # Discovery is sorted, so which file is "first" is stable.
    loser, winner = sorted([str(first), str(second)], reverse=True)
    assert f"  {loser}: PolicyID: 'Test.Shared' is already defined in {winner}" in lines


def test_syntax_error_in_the_source(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    with_a_good_policy(pack)
    pack.policy("syntax", "def policy(resource)\n    return True\n")
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "2 passed, 0 failed"
    [error] = [line for line in lines if "syntax.json" in line]
    assert error.startswith(f"  {pack.dir}/syntax.json: Filename: {pack.dir}/syntax.py failed to "
                            "import: SyntaxError: ")


@pytest.mark.parametrize("source, expected_error", [
    ("def policy(resource):\n    while True:\n        pass\n",
     "error: TimeoutError: policy exceeded 0.2s"),
    ("def policy(resource):\n    resource['x'] = 1\n    return True\n",
     "error: TypeError: resource is read-only (faulty.py:2 in policy)"),
    ("def policy(resource):\n    resource['Tags']['team'] = 'x'\n    return True\n",
     "error: TypeError: resource is read-only (faulty.py:2 in policy)"),
    ("def policy(resource):\n    return None\n",
     "error: TypeError: policy returned NoneType, expected bool"),
    ("def policy(resource):\n    return 'yes'\n",
     "error: TypeError: policy returned str, expected bool"),
], ids=["while-true", "assigns-key", "assigns-nested", "returns-none", "returns-str"])
def test_faulty_policy_fails_its_own_test_only(pack: Pack, capsys: pytest.CaptureFixture[str],
                                               source: str, expected_error: str) -> None:
    with_a_good_policy(pack)
    pack.policy("faulty", source, Tests=[
        {"Name": "runs", "ExpectedResult": True, "Resource": {"Name": "b", "Tags": {}}}])
    code, lines = run(capsys, str(pack.root), "--timeout", "0.2")
    assert code == 1 and lines[-1] == "2 passed, 1 failed"
    assert lines[lines.index("  [FAIL] runs") + 1] == f"         {expected_error}"


def test_optional_function_that_raises(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    with_a_good_policy(pack)
    pack.policy("aux", GOOD + "def dedup(resource):\n    raise ValueError('no dedup')\n", Tests=[
        {"Name": "compliant: dedup not run", "ExpectedResult": True, "Resource": {"Name": "a"}},
        {"Name": "non-compliant: dedup raised", "ExpectedResult": False,
         "Resource": {"Name": "bad"}}])
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "3 passed, 1 failed"
    index = lines.index("  [FAIL] non-compliant: dedup raised")
    assert lines[index + 1] == "         dedup: ValueError: no dedup (aux.py:4 in dedup)"


def test_mock_naming_a_missing_attribute(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    with_a_good_policy(pack)
    pack.policy("mocked", GOOD, Tests=[
        {**GOOD_TESTS[0], "Mocks": [{"objectName": "current_time", "returnValue": "2024"}]},
        GOOD_TESTS[1]])
    code, lines = run(capsys, str(pack.root))
    assert code == 1 and lines[-1] == "3 passed, 1 failed"
    index = lines.index("  [FAIL] good bucket", lines.index(f"Test.mocked ({pack.dir}/mocked.json)"))
    assert lines[index + 1] == "         Mocks: 'current_time' is not defined in the policy module"
