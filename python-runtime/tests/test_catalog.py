"""posture_engine.catalog: the catalog of a pack read from directories or from a bundle zip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Pack

from posture_engine import catalog
from posture_engine.bundle_zip import write_bundle_zip
from posture_engine.specs import load_specs

SOURCE = "def policy(r):\n    return True\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = catalog.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_entries_carry_the_spec_fields_and_string_control_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = Pack(tmp_path)
    pack.policy("b", SOURCE, DisplayName="  Bucket  ", Severity="High", Enabled=False,
                Reports={"CIS AWS Foundations 3.0": ["2.1.4", 3.7]}, Runbook="Fix it.",
                Reference="https://example.com/x")
    pack.policy("a", SOURCE, ResourceTypes=[])
    code, out, err = run(capsys, str(tmp_path))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["source"] == str(tmp_path)
    assert [p["policyId"] for p in doc["policies"]] == ["Test.a", "Test.b"]
    b = doc["policies"][1]
    assert b == {"policyId": "Test.b", "displayName": "Bucket", "severity": "High",
                 "resourceTypes": ["AWS.S3.Bucket"], "enabled": False, "selected": True,
                 "reports": {"CIS AWS Foundations 3.0": ["2.1.4", "3.7"]},
                 "description": None, "runbook": "Fix it.", "reference": "https://example.com/x"}
    a = doc["policies"][0]
    assert a["enabled"] is True and a["reports"] == {} and a["resourceTypes"] == []


def test_a_bundle_zip_gives_the_same_policies_with_its_content_hash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = Pack(tmp_path / "pack")
    pack.policy("a", SOURCE, Reports={"AWS Foundational Security Best Practices": ["S3.8"]})
    zip_path = tmp_path / "b.zip"
    manifest = write_bundle_zip(load_specs([str(tmp_path / "pack")]), zip_path)
    code, out, err = run(capsys, "--zip", str(zip_path))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["source"] == f"bundle {manifest['contentHash']}"
    assert doc["policies"][0]["reports"] == {"AWS Foundational Security Best Practices": ["S3.8"]}


def test_invalid_specs_and_unreadable_bundles_fail_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = Pack(tmp_path)
    pack.policy("bad", SOURCE, Reports={"CIS": "3.7"})
    code, out, err = run(capsys, str(tmp_path))
    assert code == 1 and out == ""
    assert err.startswith("catalog: ") and "Reports" in err and err.count("\n") == 1
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    code, _, err = run(capsys, "--zip", str(tmp_path / "junk.zip"))
    assert code == 1 and "not a zip file" in err


def test_either_a_zip_or_directories(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--zip", "x.zip", "dir")[0] == 2
    assert run(capsys)[0] == 2


def test_the_built_in_pack_reports_against_cis_3_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(REPO_ROOT / "policies"))
    assert code == 0, err
    policies = json.loads(out)["policies"]
    flow = next(p for p in policies if p["policyId"] == "AWS.EC2.VPC.FlowLogs")
    assert flow["reports"]["CIS AWS Foundations 3.0"] == ["3.7"]
