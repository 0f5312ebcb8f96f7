"""The engine's reply on the wire (the Lambda response and the local worker's reply lines).

A full result repeats its policy's description, runbook, reference, severity and destinations,
so a page of 1,000 security groups came to ~4.3 MB with the built-in pack alone, close to
Lambda's 6 MB response limit. On the wire each policy's fixed fields are sent once, under
`policies`, and each result carries only what differs from them: a PASS is its policy ID,
resource ID and status, no text. The TypeScript side (src/scan/engine-wire.ts) expands results back to
the full records.

A reply also stays under a byte budget: results are added resource by resource in request
order, and when the next resource's results would pass the budget the reply stops there and
says `next` (the index of the first resource left out), which the caller sends again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["POLICY_FIELDS", "RESPONSE_BUDGET", "to_wire"]

# Well under Lambda's 6 MB synchronous response limit (the envelope adds a little).
RESPONSE_BUDGET = 4_000_000
# Bytes of a reply that are neither results nor policies: its keys, brackets and `next`.
_ENVELOPE = 128
# A policy's fields that every result of it repeats.
POLICY_FIELDS = ("severity", "description", "runbook", "reference", "destinations")
# What a result carries when it says nothing else (a PASS).
_DEFAULTS: dict[str, Any] = {"errorMessage": None, "title": None, "dedup": None,
                             "suppressed": False, "alertContext": None}
# Known from the request: the caller has the resource.
_DROPPED = ("resourceType",)


def _encode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def to_wire(results: Sequence[Mapping[str, Any]], resources: Sequence[Mapping[str, Any]],
            templates: Mapping[str, Mapping[str, Any]], budget: int = RESPONSE_BUDGET,
            retry: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """The compact reply for `results` of `resources` (in request order); `templates` maps a
    policy ID to its fixed fields. Adds `next` when the budget cut the reply short, and `retry`
    ([{index, lookups}]) for the resources in `retry` (resource ID → IDs to look up), whose
    results are not in the reply."""
    by_resource: dict[str, list[Mapping[str, Any]]] = {}
    for result in results:
        by_resource.setdefault(result["resourceId"], []).append(result)
    policies: dict[str, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    size = 0
    cut: int | None = None
    retries: list[dict[str, Any]] = []
    # The reply's own keys and brackets ({"policies":…,"results":[…],"next":N,"retry":[…]}).
    budget -= _ENVELOPE
    for index, resource in enumerate(resources):
        wanted = retry.get(resource["ResourceId"]) if retry else None
        if wanted is not None:
            # A resource waiting for lookups is listed under `retry`: those bytes count too.
            entry = {"index": index, "lookups": list(wanted)}
            cost = len(_encode(entry)) + 1
            if (out or retries) and size + cost > budget:
                cut = index
                break
            retries.append(entry)
            size += cost
            continue
        mine = by_resource.get(resource["ResourceId"], [])
        compacts: list[dict[str, Any]] = []
        new_policies: dict[str, dict[str, Any]] = {}
        for result in mine:
            policy_id = result["policyId"]
            fixed = templates[policy_id]
            if policy_id not in policies and policy_id not in new_policies:
                new_policies[policy_id] = {k: fixed.get(k) for k in POLICY_FIELDS}
            compact: dict[str, Any] = {"policyId": policy_id, "resourceId": result["resourceId"],
                                       "status": result["status"]}
            for key, value in result.items():
                if key in compact or key in _DROPPED:
                    continue
                default = fixed.get(key) if key in POLICY_FIELDS else _DEFAULTS.get(key)
                if value != default or (key not in POLICY_FIELDS and key not in _DEFAULTS):
                    compact[key] = value
            compacts.append(compact)
        # One encoding per resource (not per result): an upper bound of what it adds to the reply.
        cost = len(_encode(compacts)) + (len(_encode(new_policies)) if new_policies else 0)
        if (out or retries) and size + cost > budget:
            cut = index
            break
        out.extend(compacts)
        policies.update(new_policies)
        size += cost
    reply: dict[str, Any] = {"policies": policies, "results": out}
    if cut is not None:
        reply["next"] = cut
        retries = [r for r in retries if r["index"] < cut]
    if retries:
        reply["retry"] = retries
    return reply
