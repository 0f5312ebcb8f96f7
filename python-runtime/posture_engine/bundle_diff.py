"""What changes between the active policy bundle and a new one (for `posture upload`).

    python -m posture_engine.bundle_diff --new FILE.zip (--old FILE.zip | --old-dir DIR...)
        [--resource-types A,B]

Prints one JSON object: both content hashes, every policy with its change (`added`, `changed`,
`removed`, `unchanged`) and the resource types it applies to before and after, the globals that
changed, and `affectedTypes` — the resource types whose stored resources must be re-evaluated
(null: every type, when an affected policy lists no types).

A policy is affected when it is added, removed, or its manifest `version` (hash of its spec and
source) differs — unless it is disabled on both sides. A changed global affects every policy
whose source names it (and globals naming it, transitively), since that is how it is imported.
Exit 1 with one line on stderr when a bundle cannot be read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from posture_engine.bundle_zip import build_bundle_zip, read_bundle_zip
from posture_engine.common import one_line, parse_resource_types
from posture_engine.specs import LoadedSpecs, Spec, load_specs

__all__ = ["diff_bundles", "diff_loaded", "main"]


class _Side:
    """One bundle: its content hash, entry versions and specs by ID."""

    def __init__(self, loaded: LoadedSpecs, manifest: dict[str, Any]) -> None:
        self.hash = str(manifest["contentHash"])
        self.versions = {e["id"]: e["version"] for key in ("policies", "globals")
                         for e in manifest[key]}
        self.policies: dict[str, Spec] = {s.ident: s for s in loaded.policies}
        self.globals: dict[str, Spec] = {s.ident: s for s in loaded.globals}


def _names(source: str, idents: Iterable[str]) -> bool:
    return any(re.search(rf"\b{re.escape(ident)}\b", source) for ident in idents)


def _types(spec: Spec | None) -> list[str] | None:
    """The spec's ResourceTypes; None when it applies to every type (none listed)."""
    if spec is None:
        return []
    listed = spec.data.get("ResourceTypes") or []
    return sorted(str(t) for t in listed) or None


def diff_bundles(old: _Side, new: _Side) -> dict[str, Any]:
    changed_globals = {g for g in set(old.globals) | set(new.globals)
                       if old.versions.get(g) != new.versions.get(g)}
    while True:  # globals importing a changed global change too
        more = {g for g, spec in {**old.globals, **new.globals}.items()
                if g not in changed_globals and _names(spec.source, changed_globals)}
        if not more:
            break
        changed_globals |= more

    policies: list[dict[str, Any]] = []
    affected: set[str] | None = set()
    for ident in sorted(set(old.policies) | set(new.policies)):
        before, after = old.policies.get(ident), new.policies.get(ident)
        if before is None:
            change = "added"
        elif after is None:
            change = "removed"
        elif (old.versions.get(ident) != new.versions.get(ident)
              or _names(before.source + after.source, changed_globals)):
            change = "changed"
        else:
            change = "unchanged"
        enabled_before = before is not None and before.enabled
        enabled_after = after is not None and after.enabled
        types_before, types_after = _types(before), _types(after)
        policies.append({"id": ident, "change": change, "enabledBefore": enabled_before,
                         "enabledAfter": enabled_after, "typesBefore": types_before,
                         "typesAfter": types_after})
        if change == "unchanged" or not (enabled_before or enabled_after) or affected is None:
            continue
        for types, enabled in ((types_before, enabled_before), (types_after, enabled_after)):
            if not enabled:
                continue
            if types is None:
                affected = None
                break
            affected.update(types)
    return {"oldHash": old.hash, "newHash": new.hash, "policies": policies,
            "changedGlobals": sorted(changed_globals),
            "affectedTypes": None if affected is None else sorted(affected)}


def diff_loaded(old: LoadedSpecs, old_manifest: dict[str, Any], new: LoadedSpecs,
                new_manifest: dict[str, Any]) -> dict[str, Any]:
    """The diff of two bundles already loaded, each with its manifest (the console's merge)."""
    return diff_bundles(_Side(old, old_manifest), _Side(new, new_manifest))


def _from_zip(path: str) -> _Side:
    loaded, manifest = read_bundle_zip(Path(path).read_bytes(), path)
    if loaded.errors:
        raise ValueError(loaded.errors[0])
    return _Side(loaded, manifest)


def _from_dirs(paths: list[str], types: frozenset[str] | None) -> _Side:
    loaded = load_specs(paths, types)
    if loaded.errors:
        raise ValueError(loaded.errors[0])
    _, manifest = build_bundle_zip(loaded)
    return _Side(loaded, manifest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.bundle_diff",
                                     description="Compare two policy bundles.")
    parser.add_argument("--new", required=True, metavar="FILE")
    old = parser.add_mutually_exclusive_group(required=True)
    old.add_argument("--old", metavar="FILE")
    old.add_argument("--old-dir", nargs="+", metavar="DIR")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C")
    args = parser.parse_args(argv)
    try:
        before = (_from_zip(args.old) if args.old
                  else _from_dirs(args.old_dir, parse_resource_types(args.resource_types)))
        after = _from_zip(args.new)
    except (OSError, ValueError) as exc:
        print(f"bundle diff: {one_line(exc)}", file=sys.stderr)
        return 1
    print(json.dumps(diff_bundles(before, after), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
