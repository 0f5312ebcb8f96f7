"""posture_engine.policy_export: one policy's spec and source, and the globals, from dirs or a bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Pack

from posture_engine import policy_export
from posture_engine.bundle_zip import write_bundle_zip
from posture_engine.specs import load_specs

SOURCE = "from helper import ok\n\ndef policy(r):\n    return ok(r)\n"
HELPER = "def ok(r):\n    return bool(r.get('Name'))\n"
TESTS = [{"Name": "named", "ExpectedResult": True, "Resource": {"Name": "x"}}]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = policy_export.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def make_pack(root: Path) -> Pack:
    pack = Pack(root)
    pack.global_("helper", HELPER)
    pack.policy("a", SOURCE, DisplayName="A", Tests=TESTS)
    pack.policy("b", "def policy(r):\n    return True\n")
    return pack


def test_prints_the_spec_with_its_tests_and_the_source_from_directories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(tmp_path)
    code, out, err = run(capsys, "--policy", "Test.a", str(pack.dir))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["policyId"] == "Test.a"
    assert doc["source"] == SOURCE
    assert doc["spec"]["DisplayName"] == "A"
    assert doc["spec"]["Tests"] == TESTS


def test_reads_a_bundle_and_writes_the_globals_a_draft_loads_with(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(tmp_path / "src")
    zip_path = tmp_path / "b.zip"
    write_bundle_zip(load_specs([str(pack.dir)]), zip_path)
    out_dir = tmp_path / "draft" / "console_policies" / "global_helpers"
    code, out, err = run(capsys, "--policy", "Test.a", "--zip", str(zip_path), "--globals-out", str(out_dir))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["source"] == SOURCE
    assert "Tests" not in doc["spec"]  # bundles carry no tests
    # The written globals load with the engine's loader, next to a draft of the policy.
    draft = tmp_path / "draft" / "console_policies"
    (draft / "a.py").write_text(doc["source"])
    (draft / "a.json").write_text(json.dumps(doc["spec"]))
    loaded = load_specs([str(draft)])
    assert loaded.errors == []
    assert [g.ident for g in loaded.globals] == ["helper"]
    assert loaded.globals[0].source == HELPER
    assert [p.ident for p in loaded.policies] == ["Test.a"]


def test_an_unknown_policy_is_one_line_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(tmp_path)
    code, out, err = run(capsys, "--policy", "Test.nope", str(pack.dir))
    assert code == 1 and out == ""
    assert err.strip() == "policy_export: no policy 'Test.nope' in the pack"


def test_without_a_policy_it_only_lists_and_writes_the_globals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(tmp_path / "src")
    code, out, err = run(capsys, str(pack.dir), "--globals-out", str(tmp_path / "g"))
    assert (code, err) == (0, "")
    assert json.loads(out) == {"globals": ["helper"]}
    assert (tmp_path / "g" / "helper.py").read_text() == HELPER


def test_needs_exactly_one_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--policy", "x")[0] == 2
