"""The engine's wire reply stays under Lambda's response limit: compact results, cut at a budget."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path
from typing import Any

from conftest import KNOWN_TYPES, REPO_ROOT, full_results

from posture_engine import Engine
from posture_engine.wire import RESPONSE_BUDGET, to_wire

EXAMPLES = REPO_ROOT / "docs" / "resources" / "examples"
TYPES = KNOWN_TYPES.split(",")


def page(resource_type: str, count: int) -> list[dict[str, Any]]:
    """`count` copies of the type's documented example, each with its own ResourceId."""
    example = json.loads((EXAMPLES / f"{resource_type}.json").read_text())
    out = []
    for i in range(count):
        resource = copy.deepcopy(example)
        resource["ResourceId"] = f"{example['ResourceId']}-{i}"
        out.append(resource)
    return out


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")))


EXAMPLE_RESOURCES = {r["ResourceId"]: r for r in (json.loads(p.read_text())
                                                  for p in EXAMPLES.glob("*.json"))}


def answered(engine: Engine, resources: list[dict[str, Any]],
             lookups: dict[str, Any]) -> list[dict[str, Any]]:
    """Every reply the caller gets for `resources`, as the evaluators do: sending again from
    `next`, and the resources under `retry` with what they look up (from the documented
    examples; None: not stored) added to `lookups`."""
    out = []
    rest = resources
    while rest:
        reply = engine.reply(rest, lookups=lookups)
        out.append(reply)
        again = [rest[r["index"]] for r in reply.get("retry", [])]
        lookups.update({i: EXAMPLE_RESOURCES.get(i) for r in reply.get("retry", [])
                        for i in r["lookups"]})
        rest = again + (rest[reply["next"]:] if "next" in reply else [])
    return out


def lookups_for(engine: Engine, resources: list[dict[str, Any]]) -> dict[str, Any]:
    """What the built-in policies look up for `resources` (resource_lookup)."""
    lookups: dict[str, Any] = {}
    answered(engine, resources, lookups)
    return lookups


def replies(engine: Engine, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return answered(engine, resources, {})


def test_a_full_page_of_every_type_with_the_builtin_pack_is_one_small_reply() -> None:
    engine = Engine.from_directories([str(REPO_ROOT / "policies")],
                                     resource_types=frozenset(TYPES))
    assert engine.errors == []
    for resource_type in TYPES:
        resources = page(resource_type, 1000)
        lookups = lookups_for(engine, resources[:1])  # the copies look up the same resources
        reply = engine.reply(resources, lookups=lookups)
        assert "next" not in reply and "retry" not in reply, resource_type
        assert size(reply) < RESPONSE_BUDGET, resource_type
        full = engine.evaluate(resources, lookups)
        assert len(reply["results"]) == len(full)
        # The same results as the full records, less the resource type the caller already has.
        assert full_results(reply) == [{k: v for k, v in r.items() if k != "resourceType"}
                                       for r in full]
        if resource_type == "AWS.EC2.SecurityGroup":
            # What the full records cost on the wire, against the compact reply.
            assert size({"results": full}) > 3 * size(reply)
        for result in reply["results"]:
            if result["status"] == "PASS":
                assert set(result) == {"policyId", "resourceId", "status"}


def test_a_hundred_failing_policies_per_type_are_answered_in_replies_under_the_budget(
        tmp_path: Path) -> None:
    pack = tmp_path / "pack" / "wide_policies"
    pack.mkdir(parents=True)
    for resource_type in TYPES:
        stem = resource_type.replace(".", "_")
        for n in range(100):
            (pack / f"{stem}_{n}.py").write_text(textwrap.dedent(f"""\
                def policy(resource):
                    return False
                def title(resource):
                    return "{'x' * 150} " + resource["ResourceId"]
                """))
            (pack / f"{stem}_{n}.json").write_text(json.dumps({
                "AnalysisType": "policy", "Filename": f"{stem}_{n}.py",
                "PolicyID": f"Wide.{stem}.{n}", "Severity": "Low", "ResourceTypes": [resource_type],
                "Description": "d" * 400, "Runbook": "r" * 400, "Reference": "https://example.com"}))
    engine = Engine.from_directories([str(REPO_ROOT / "policies"), str(tmp_path / "pack")],
                                     resource_types=frozenset(TYPES))
    assert engine.errors == []
    resources = [r for resource_type in TYPES for r in page(resource_type, 30)]
    got = replies(engine, resources)
    assert len(got) > 1  # the budget cut the batch, and the caller continued
    assert all(size(reply) < RESPONSE_BUDGET for reply in got)
    answered = [(r["resourceId"], r["policyId"]) for reply in got for r in reply["results"]]
    assert len(answered) == len(set(answered))
    expected = {(r["resourceId"], r["policyId"])
                for r in engine.evaluate(resources, lookups_for(engine, resources))}
    assert set(answered) == expected
    assert sum(1 for _, p in answered if p.startswith("Wide.")) == len(resources) * 100


def test_resources_waiting_for_lookups_count_against_the_budget() -> None:
    """`retry` entries are part of the reply: a batch of resources that all wait for lookups is
    cut by the budget like results are, and every resource is either answered, retried or left
    for `next` — never lost."""
    resources = [{"ResourceId": f"r-{i}"} for i in range(200)]
    retry = {f"r-{i}": [f"arn:aws:s3:::bucket-{i}-{'x' * 40}"] for i in range(0, 200, 2)}
    results = [{"policyId": "P", "resourceId": f"r-{i}", "status": "FAIL", "title": "t" * 60}
               for i in range(1, 200, 2)]
    templates = {"P": {"severity": "High", "description": "d", "runbook": "r", "reference": "x",
                       "destinations": None}}
    budget = 3_000
    seen: set[int] = set()
    start = 0
    while start < len(resources):
        reply = to_wire(results, resources[start:], templates, budget, retry)
        assert size(reply) < budget
        answered = {int(r["resourceId"][2:]) for r in reply["results"]}
        retried = {start + r["index"] for r in reply.get("retry", [])}
        assert answered or retried
        seen |= answered | retried
        start += reply.get("next", len(resources) - start)
    assert seen == set(range(200))
