"""pack_layers: a custom pack adds to or overrides a base pack by PolicyID / GlobalID, never removes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import Pack

from posture_engine import Engine
from posture_engine.bundle_zip import build_bundle_zip, read_bundle_zip
from posture_engine.pack_layers import main
from posture_engine.specs import load_specs

ALWAYS = "def policy(r):\n    return True\n"
NEVER = "def policy(r):\n    return False\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out else {}), captured.err


def test_merge_adds_and_overrides_by_id_and_keeps_the_rest(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    base = Pack(tmp_path / "base")
    base.global_("my_helpers", "def ok(r):\n    return True\n")
    base.policy("kept", ALWAYS)
    base.policy("stricter", ALWAYS)
    (tmp_path / "base.zip").write_bytes(build_bundle_zip(load_specs([str(base.root)]))[0])
    custom = Pack(tmp_path / "custom" / "my")
    custom.global_("my_helpers", "def ok(r):\n    return False\n")
    custom.policy("stricter", NEVER, ResourceTypes=["AWS.EC2.SecurityGroup"])
    custom.policy("fresh", NEVER)
    out = tmp_path / "merged.zip"

    for source in (["--base", str(tmp_path / "base.zip")], ["--base-dir", str(base.root)]):
        code, doc, err = run(capsys, "merge", *source, "--overlay-dir", str(custom.root),
                             "--out", str(out))
        assert (code, err) == (0, "")
        assert doc["added"] == ["Test.fresh"]
        assert doc["overridden"] == ["Test.stricter"]
        assert (doc["addedGlobals"], doc["overriddenGlobals"]) == ([], ["my_helpers"])
        loaded, manifest = read_bundle_zip(out.read_bytes())
        assert doc["contentHash"] == manifest["contentHash"]
        assert sorted(p.ident for p in loaded.policies) == ["Test.fresh", "Test.kept", "Test.stricter"]
        engine = Engine.from_specs(loaded)
        stricter = next(p for p in engine.policies if p.policy_id == "Test.stricter")
        assert tuple(stricter.resource_types) == ("AWS.EC2.SecurityGroup",)
        assert next(g for g in loaded.globals if g.ident == "my_helpers").source.endswith("return False\n")


def test_merge_refuses_an_added_file_that_would_overwrite_a_kept_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Both packs' roots are named "pack": their files map to the same bundle members.
    base = Pack(tmp_path / "a" / "pack")
    base.policy("same_file", ALWAYS)
    other = Pack(tmp_path / "b" / "pack")
    other.policy("same_file", NEVER, PolicyID="Test.another")
    code, _, err = run(capsys, "merge", "--base-dir", str(base.root), "--overlay-dir",
                       str(other.root), "--out", str(tmp_path / "m.zip"))
    assert code == 1
    assert err.strip() == (f"pack layers: {other.dir}/same_file.json: stored as "
                           "pack/test_policies/same_file.json, where the base pack keeps Test.same_file; "
                           "move the file to a folder of another name")
    assert not (tmp_path / "m.zip").exists()


def test_merge_keeps_both_packs_requirements(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = Pack(tmp_path / "base")
    base.policy("kept", ALWAYS)
    (tmp_path / "base" / "requirements.txt").write_text("six==1.16.0\n")
    custom = Pack(tmp_path / "custom")
    custom.policy("fresh", ALWAYS)
    code, _, err = run(capsys, "merge", "--base-dir", str(base.root), "--overlay-dir",
                       str(custom.root), "--out", str(tmp_path / "one.zip"))
    assert (code, err) == (0, "")
    once = json.loads(zipfile.ZipFile(tmp_path / "one.zip").read("manifest.json"))
    assert [r["path"] for r in once["requirements"]] == ["base/requirements.txt"]
    # Merged again on top of that bundle: the listed entry is carried over, not lost.
    code, _, _ = run(capsys, "merge", "--base", str(tmp_path / "one.zip"), "--overlay-dir",
                     str(custom.root), "--out", str(tmp_path / "two.zip"))
    twice = json.loads(zipfile.ZipFile(tmp_path / "two.zip").read("manifest.json"))
    assert code == 0 and twice["requirements"] == once["requirements"]


def test_lookup_names_close_matches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = Pack(tmp_path / "base")
    base.policy("encryption", ALWAYS)
    base.policy("off", ALWAYS, Enabled=False)
    code, doc, _ = run(capsys, "lookup", "--base-dir", str(base.root), "--policy", "Test.encryption")
    assert (code, doc) == (0, {"found": True, "enabled": True, "close": []})
    _, doc, _ = run(capsys, "lookup", "--base-dir", str(base.root), "--policy", "Test.off")
    assert doc == {"found": True, "enabled": False, "close": []}
    _, doc, _ = run(capsys, "lookup", "--base-dir", str(base.root), "--policy", "Test.encrypton")
    assert doc == {"found": False, "enabled": False, "close": ["Test.encryption"]}
    code, _, err = run(capsys, "lookup", "--base", str(tmp_path / "missing.zip"), "--policy", "X")
    assert code == 1 and err.startswith("pack layers: ")
