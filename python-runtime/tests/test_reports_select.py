"""reports_select: the frameworks chosen (`posture scan --frameworks`, `-c posture:frameworks`)
decide at load which policies run; a policy left out is treated exactly as `Enabled: false`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Pack, bucket

from posture_engine import Engine, catalog, lambda_handler
from posture_engine.bundle_zip import write_bundle_zip
from posture_engine.reports_select import DESELECT_ENV, is_selected, parse_deselection
from posture_engine.specs import load_specs

FAILS = "def policy(r):\n    return False\n"
CIS = "CIS AWS Foundations 3.0"
FSBP = "AWS Foundational Security Best Practices"
PCI = "PCI DSS v4.0"


def four_policies(pack: Pack) -> None:
    pack.policy("cis", FAILS, Reports={CIS: ["2.1.4"]})
    pack.policy("both", FAILS, Reports={CIS: ["2.1.1"], FSBP: ["S3.8"]})
    pack.policy("pci", FAILS, Reports={PCI: ["3.5.1"]})
    pack.policy("team", FAILS)  # no Reports: a team's own policy


def test_the_variable_is_a_json_list_of_reports_keys() -> None:
    assert parse_deselection(None) == frozenset()
    assert parse_deselection("  ") == frozenset()
    assert parse_deselection('["PCI DSS v4.0", " FSBP "]') == {"pci dss v4.0", "fsbp"}
    with pytest.raises(ValueError, match=f"^{DESELECT_ENV}: not JSON"):
        parse_deselection("[pci")
    with pytest.raises(ValueError, match="expected a JSON list"):
        parse_deselection('{"select": ["fsbp"]}')
    with pytest.raises(ValueError, match="expected a JSON list"):
        parse_deselection('["fsbp", 3]')


def test_a_policy_is_left_out_only_when_every_framework_it_reports_to_is() -> None:
    out = parse_deselection(json.dumps([PCI, CIS]))
    assert not is_selected({"Reports": {PCI: ["1"]}}, out)
    assert not is_selected({"Reports": {"pci dss V4.0": ["1"], CIS: ["1"]}}, out)  # case-insensitive
    assert is_selected({"Reports": {PCI: ["1"], FSBP: ["S3.8"]}}, out)  # one chosen framework is enough
    assert is_selected({}, out) and is_selected({"Reports": {}}, out)  # no Reports: always runs
    assert is_selected({"Reports": {"ACME Baseline": ["7"]}}, out)  # a framework Posture does not know
    assert is_selected({"Reports": {PCI: ["1"]}}, frozenset())  # nothing left out: all run


def test_the_engine_disables_what_the_choice_leaves_out_as_enabled_false(pack: Pack) -> None:
    four_policies(pack)
    pack.policy("off", FAILS, Enabled=False, Reports={FSBP: ["S3.1"]})
    engine = Engine.from_directories([str(pack.root)])
    assert engine.enabled_policy_ids == ["Test.both", "Test.cis", "Test.pci", "Test.team"]

    chosen = Engine(engine.policies, deselected=parse_deselection(json.dumps([CIS, PCI])))
    assert chosen.enabled_policy_ids == ["Test.both", "Test.team"]
    assert chosen.deselected_policy_ids == ["Test.cis", "Test.pci"]
    # Not evaluated, so no results at all: the same as the disabled policy.
    results = chosen.evaluate([bucket()])
    assert sorted(r["policyId"] for r in results) == ["Test.both", "Test.team"]
    assert all(r["status"] == "FAIL" for r in results)


def test_the_engine_reads_the_choice_from_its_environment(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    four_policies(pack)
    monkeypatch.setenv(DESELECT_ENV, json.dumps([FSBP, PCI]))
    engine = Engine.from_directories([str(pack.root)])
    assert engine.enabled_policy_ids == ["Test.both", "Test.cis", "Test.team"]
    monkeypatch.setenv(DESELECT_ENV, "[]")
    assert len(Engine.from_directories([str(pack.root)]).enabled_policy_ids) == 4
    monkeypatch.setenv(DESELECT_ENV, "not json")
    with pytest.raises(ValueError, match=DESELECT_ENV):
        Engine.from_directories([str(pack.root)])


def test_the_catalog_marks_left_out_policies_disabled_and_not_selected(
        pack: Pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    four_policies(pack)
    monkeypatch.setenv(DESELECT_ENV, json.dumps([CIS, PCI]))
    assert catalog.main([str(pack.root)]) == 0
    entries = {p["policyId"]: p for p in json.loads(capsys.readouterr().out)["policies"]}
    assert {k: (p["enabled"], p["selected"]) for k, p in entries.items()} == {
        "Test.both": (True, True), "Test.cis": (False, False), "Test.pci": (False, False),
        "Test.team": (True, True)}
    monkeypatch.delenv(DESELECT_ENV)
    assert catalog.main([str(pack.root)]) == 0
    assert all(p["selected"] for p in json.loads(capsys.readouterr().out)["policies"])


def test_the_lambda_applies_the_stacks_choice_to_results_and_catalog(
        pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    four_policies(pack)
    zip_path = tmp_path / "bundle.zip"
    write_bundle_zip(load_specs([str(pack.root)]), zip_path)
    for name in ("POSTURE_BUNDLE_BUCKET", "POSTURE_BUNDLE_KEY", "POSTURE_ACTIVE_BUNDLE_BUCKET",
                 "POSTURE_ACTIVE_BUNDLE_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POSTURE_BUNDLE", str(zip_path))
    monkeypatch.setenv(DESELECT_ENV, json.dumps([FSBP, PCI]))
    monkeypatch.setattr(lambda_handler, "_engine", None)
    monkeypatch.setattr(lambda_handler, "_active", False)
    reply = lambda_handler.handler({"resources": [bucket()]}, None)
    assert sorted(reply["policies"]) == ["Test.both", "Test.cis", "Test.team"]
    listed = lambda_handler.handler({"action": "catalog"}, None)["policies"]
    assert [(p["policyId"], p["enabled"]) for p in listed] == [
        ("Test.both", True), ("Test.cis", True), ("Test.pci", False), ("Test.team", True)]
