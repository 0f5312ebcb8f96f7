"""Spec discovery and validation: one-line errors naming file and field; good specs still load."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import KNOWN_TYPES, Pack

from posture_engine import Engine
from posture_engine.common import parse_resource_types
from posture_engine.specs import load_specs

GOOD = "def policy(resource):\n    return True\n"
KNOWN = parse_resource_types(KNOWN_TYPES)


def errors_for(pack: Pack, known: frozenset[str] | None = None) -> list[str]:
    return Engine.from_directories([str(pack.root)], known).errors


def test_severity_typo_names_file_and_field(pack: Pack) -> None:
    pack.raw("good.py", GOOD)
    pack.raw("x.yml", """\
        AnalysisType: policy
        Filename: good.py
        PolicyID: Test.X
        Severity: Hgih
        ResourceTypes: [AWS.S3.Bucket]
        """)
    assert errors_for(pack) == [
        f"{pack.dir}/x.yml: Severity: 'Hgih' is not one of Info, Low, Medium, High, Critical"]


def test_each_missing_required_field_is_reported(pack: Pack) -> None:
    for missing in ("Filename", "PolicyID", "Severity", "ResourceTypes"):
        spec = {"AnalysisType": "policy", "Filename": "good.py", "PolicyID": f"Test.{missing}",
                "Severity": "Low", "ResourceTypes": []}
        del spec[missing]
        pack.raw(f"no_{missing}.json", json.dumps(spec))
    pack.raw("no_type.json", json.dumps({"Filename": "good.py", "PolicyID": "Test.T"}))
    pack.raw("good.py", GOOD)
    assert sorted(errors_for(pack)) == sorted([
        f"{pack.dir}/no_Filename.json: Filename: required field is missing",
        f"{pack.dir}/no_PolicyID.json: PolicyID: required field is missing",
        f"{pack.dir}/no_Severity.json: Severity: required field is missing",
        f"{pack.dir}/no_ResourceTypes.json: ResourceTypes: required field is missing",
        f"{pack.dir}/no_type.json: AnalysisType: required field is missing",
    ])


def test_type_errors_unknown_fields_and_bad_tests(pack: Pack) -> None:
    pack.raw("good.py", GOOD)
    pack.raw("x.json", json.dumps({
        "AnalysisType": "policy", "Filename": "good.py", "PolicyID": "Test.X", "Severity": "Low",
        "ResourceTypes": "AWS.S3.Bucket", "Enabled": "yes", "Tags": ["a", 1], "Supressions": [],
        "Tests": [{"Name": "t", "ExpectedResult": "true", "Resource": []},
                  {"Name": "u", "ExpectedResult": True, "Resource": {},
                   "Mocks": [{"returnValue": 1}]}],
    }))
    path = f"{pack.dir}/x.json"
    assert errors_for(pack) == [
        f"{path}: ResourceTypes: expected a list of strings, got string",
        f"{path}: Enabled: expected true or false, got string",
        f"{path}: Tags: item 1 is not a string (got integer)",
        f"{path}: Supressions: unknown field (did you mean Suppressions?)",
        f"{path}: Tests[0].ExpectedResult: expected true or false, got string",
        f"{path}: Tests[0].Resource: expected a mapping, got list",
        f"{path}: Tests[1].Mocks[0].objectName: required field is missing",
    ]


def test_malformed_yaml_and_json_are_one_line(pack: Pack) -> None:
    pack.raw("broken.yml", "AnalysisType: policy\nTests: [unclosed\n")
    pack.raw("broken.json", '{"AnalysisType": "policy",,}')
    pack.raw("list.yml", "- a\n- b\n")
    errors = sorted(errors_for(pack))
    assert len(errors) == 3 and all("\n" not in e for e in errors)
    assert errors[0] == (f"{pack.dir}/broken.json: invalid JSON at line 1, column 27: "
                         "Expecting property name enclosed in double quotes")
    # PyYAML's C and Python parsers word the problem differently; the location is the same.
    assert errors[1].startswith(f"{pack.dir}/broken.yml: invalid YAML at line 3, column 1: ")
    assert "expected ',' or ']'" in errors[1]
    assert errors[2] == f"{pack.dir}/list.yml: spec must be a mapping, got list"


def test_unknown_analysis_type_and_files(pack: Pack) -> None:
    pack.raw("rule.yml", "AnalysisType: rule\nFilename: r.py\n")
    pack.raw("nofile.yml", "AnalysisType: policy\nFilename: missing.py\nPolicyID: Test.M\n"
                           "Severity: Low\nResourceTypes: []\n")
    pack.raw("notpy.yml", "AnalysisType: policy\nFilename: notes.txt\nPolicyID: Test.N\n"
                          "Severity: Low\nResourceTypes: []\n")
    pack.raw("badglobal.yml", "AnalysisType: global\nFilename: g.py\nGlobalID: aws-globals\n")
    assert sorted(errors_for(pack)) == [
        f"{pack.dir}/badglobal.yml: GlobalID: 'aws-globals' is not a valid Python module name",
        f"{pack.dir}/nofile.yml: Filename: 'missing.py' does not exist",
        f"{pack.dir}/notpy.yml: Filename: 'notes.txt' is not a .py file",
        f"{pack.dir}/rule.yml: AnalysisType: 'rule' is not one of policy, global",
    ]


def test_unknown_resource_types_only_with_a_known_list(pack: Pack) -> None:
    pack.policy("typo", GOOD, ResourceTypes=["AWS.S3.Bukcet"])
    pack.policy("ok", GOOD, ResourceTypes=["AWS.IAM.User"])
    assert errors_for(pack) == []
    engine = Engine.from_directories([str(pack.root)], KNOWN)
    assert engine.errors == [f"{pack.dir}/typo.json: ResourceTypes: 'AWS.S3.Bukcet' is not a "
                             "known resource type (did you mean AWS.S3.Bucket?)"]
    assert engine.enabled_policy_ids == ["Test.ok"]


def test_import_failures_and_missing_policy_function(pack: Pack) -> None:
    pack.policy("syntax", "def policy(resource)\n    return True\n")
    pack.policy("raises", "import not_a_module_anywhere\ndef policy(resource):\n    return True\n")
    pack.policy("nopolicy", "def rule(event):\n    return True\n")
    pack.policy("fine", GOOD)
    engine = Engine.from_directories([str(pack.root)])
    errors = sorted(engine.errors)
    assert errors[:2] == [
        f"{pack.dir}/nopolicy.json: Filename: {pack.dir}/nopolicy.py does not define policy()",
        f"{pack.dir}/raises.json: Filename: {pack.dir}/raises.py failed to import: "
        "ModuleNotFoundError: No module named 'not_a_module_anywhere'",
    ]
    assert len(errors) == 3
    assert errors[2].startswith(f"{pack.dir}/syntax.json: Filename: {pack.dir}/syntax.py failed "
                                "to import: SyntaxError: ")
    assert errors[2].endswith("(syntax.py, line 1)")
    # Each is still a policy of the evaluating engine, every pair of which is ERROR naming why:
    # a policy that cannot run must not leave its last stored verdict (a PASS) standing.
    assert engine.enabled_policy_ids == ["Test.fine", "Test.nopolicy", "Test.raises", "Test.syntax"]
    results = {r["policyId"]: r for r in engine.evaluate([{"ResourceId": "r", "ResourceType": "AWS.S3.Bucket"}])}
    assert results["Test.fine"]["status"] == "PASS"
    assert results["Test.nopolicy"]["status"] == "ERROR"
    assert results["Test.nopolicy"]["errorMessage"] == "PolicyNotLoaded: nopolicy.py does not define policy()"
    assert results["Test.raises"]["errorMessage"] == (
        "PolicyNotLoaded: raises.py failed to import: ModuleNotFoundError: No module named 'not_a_module_anywhere'")
    assert results["Test.syntax"]["errorMessage"].startswith("PolicyNotLoaded: syntax.py failed to import: SyntaxError: ")


def test_duplicate_policy_id(pack: Pack) -> None:
    pack.policy("a", GOOD, PolicyID="Test.Same")
    pack.policy("b", GOOD, PolicyID="Test.Same")
    engine = Engine.from_directories([str(pack.root)])
    assert engine.errors == [
        f"{pack.dir}/b.json: PolicyID: 'Test.Same' is already defined in {pack.dir}/a.json"]
    assert engine.enabled_policy_ids == ["Test.Same"]


def test_only_folders_named_like_policies_are_read(tmp_path: Path) -> None:
    for folder in ("aws_policies", "docs", "global_helpers"):
        (tmp_path / folder).mkdir()
    spec = {"AnalysisType": "policy", "Filename": "p.py", "Severity": "Low", "ResourceTypes": []}
    for folder in ("aws_policies", "docs"):
        (tmp_path / folder / "p.py").write_text(GOOD)
        (tmp_path / folder / "p.json").write_text(json.dumps({**spec, "PolicyID": folder}))
    (tmp_path / "global_helpers" / "g.py").write_text("X = 1\n")
    (tmp_path / "global_helpers" / "g.yml").write_text(
        "AnalysisType: global\nFilename: g.py\nGlobalID: g\n")
    loaded = load_specs([str(tmp_path)])
    assert [s.ident for s in loaded.policies] == ["aws_policies"]
    assert [s.ident for s in loaded.globals] == ["g"]
    # A spec file named directly is read wherever it is.
    assert [s.ident for s in load_specs([str(tmp_path / "docs" / "p.json")]).policies] == ["docs"]
    assert load_specs([str(tmp_path / "nope")]).errors == [
        f"{tmp_path / 'nope'}: no such file or directory"]


def test_yaml_timestamps_in_test_resources_stay_strings(pack: Pack) -> None:
    pack.raw("p.py", GOOD)
    pack.raw("p.yml", """\
        AnalysisType: policy
        Filename: p.py
        PolicyID: Test.P
        Severity: Info
        ResourceTypes: []
        Tests:
          - Name: t
            ExpectedResult: true
            Resource: {TimeCreated: 2019-01-01T00:00:00Z}
        """)
    loaded = load_specs([str(pack.root)])
    assert loaded.errors == []
    assert loaded.policies[0].data["Tests"][0]["Resource"]["TimeCreated"] == "2019-01-01T00:00:00Z"


def test_filename_must_stay_inside_the_spec_folder(pack: Pack, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(GOOD)
    (pack.dir / "sub").mkdir()
    (pack.dir / "sub" / "inner.py").write_text(GOOD)
    (pack.dir / "link.py").symlink_to(outside)
    (pack.dir / "same.py").write_text(GOOD)
    (pack.dir / "alias.py").symlink_to(pack.dir / "same.py")

    def spec(name: str, filename: str) -> None:
        pack.raw(f"{name}.json", json.dumps({
            "AnalysisType": "policy", "Filename": filename, "PolicyID": f"Test.{name}",
            "Severity": "Low", "ResourceTypes": ["AWS.S3.Bucket"]}))

    spec("dotdot", "../../outside.py")
    spec("inner_dotdot", "sub/../../outside.py")
    spec("absolute", str(outside))
    spec("symlink", "link.py")
    spec("subfolder", "sub/inner.py")
    spec("alias", "alias.py")
    pack.raw("global.yml", f"AnalysisType: global\nFilename: {outside}\nGlobalID: g\n")
    loaded = load_specs([str(pack.root)])
    assert sorted(loaded.errors) == [
        f"{pack.dir}/absolute.json: Filename: '{outside}' is an absolute path; "
        "name a file in the spec's folder",
        f"{pack.dir}/dotdot.json: Filename: '../../outside.py' leaves the spec's folder (..); "
        "name a file in the spec's folder",
        f"{pack.dir}/global.yml: Filename: '{outside}' is an absolute path; "
        "name a file in the spec's folder",
        f"{pack.dir}/inner_dotdot.json: Filename: 'sub/../../outside.py' leaves the spec's "
        "folder (..); name a file in the spec's folder",
        f"{pack.dir}/symlink.json: Filename: 'link.py' resolves outside the spec's folder "
        "(a symlink?); name a file in the spec's folder",
    ]
    # Inside the folder (a subfolder, a symlink to a sibling) is fine; nothing outside was read.
    assert sorted(s.ident for s in loaded.policies) == ["Test.alias", "Test.subfolder"]
    assert all(s.source == GOOD for s in loaded.policies)
