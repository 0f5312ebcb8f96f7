"""Policy packs in layers: a custom pack added to a base pack, policy by policy.

One rule, used by `posture scan --policies DIR` (base: the built-in pack) and `posture upload`
(base: the stack's active bundle): every policy of the overlay is added, or overrides the base's
policy with the same PolicyID; every global likewise by GlobalID; the base's other entries stay.
Nothing is removed — replacing a whole pack is `posture upload --replace`, which skips this.

    python -m posture_engine.pack_layers merge (--base FILE.zip | --base-dir DIR...)
        (--overlay FILE.zip | --overlay-dir DIR...) --out FILE.zip [--resource-types A,B]
    python -m posture_engine.pack_layers lookup (--base FILE.zip | --base-dir DIR...)
        --policy ID [--resource-types A,B]

`merge` writes the merged bundle zip and prints one JSON object: its contentHash and the policy
and global IDs the overlay added and overrode. `lookup` prints whether the pack defines the
policy, whether it is enabled, and the closest IDs when it does not. Exit 1 with one line on
stderr when a pack cannot be read or the merged bundle cannot be built.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posture_engine.bundle_zip import (_source_member, _spec_member, read_bundle_zip,
                                      write_bundle_zip)
from posture_engine.common import one_line, parse_resource_types
from posture_engine.pack_deps import pack_requirements
from posture_engine.specs import LoadedSpecs, Spec, load_specs

__all__ = ["Merged", "check_paths", "load_pack", "lookup", "main", "merge_packs"]


@dataclass
class Pack:
    """A pack as loaded: its specs and the requirements its manifest lists (or its folders hold)."""

    specs: LoadedSpecs
    requirements: list[dict[str, str]] = field(default_factory=list)
    requirement_files: list[Path] = field(default_factory=list)


@dataclass
class Merged:
    specs: LoadedSpecs
    added: list[str]
    overridden: list[str]
    added_globals: list[str]
    overridden_globals: list[str]


def load_pack(zip_path: str | None, dirs: Sequence[str] | None,
              types: frozenset[str] | None = None) -> Pack:
    """A bundle zip or policy directories; ValueError (one line) when any spec is invalid."""
    if zip_path is not None:
        loaded, manifest = read_bundle_zip(Path(zip_path).read_bytes(), zip_path)
        if loaded.errors:
            raise ValueError(loaded.errors[0])
        return Pack(loaded, [dict(r) for r in manifest.get("requirements") or []])
    loaded = load_specs(list(dirs or []), types)
    if loaded.errors:
        raise ValueError(loaded.errors[0])
    return Pack(loaded, requirement_files=pack_requirements(list(dirs or [])))


def _layer(base: list[Spec], overlay: list[Spec]) -> tuple[list[Spec], list[str], list[str]]:
    replaced = {s.ident for s in overlay}
    known = {s.ident for s in base}
    kept = [s for s in base if s.ident not in replaced]
    added = sorted(i for i in replaced if i not in known)
    overridden = sorted(i for i in replaced if i in known)
    return kept + list(overlay), added, overridden


def merge_packs(base: LoadedSpecs, overlay: LoadedSpecs) -> Merged:
    """The base with the overlay's policies and globals added or overriding by ID."""
    policies, added, overridden = _layer(base.policies, overlay.policies)
    globals_, added_g, overridden_g = _layer(base.globals, overlay.globals)
    return Merged(LoadedSpecs(policies=policies, globals=globals_), added, overridden,
                  added_g, overridden_g)


def lookup(pack: LoadedSpecs, policy_id: str) -> dict[str, Any]:
    """Whether the pack defines `policy_id` (and enables it); the closest IDs when it does not."""
    by_id = {s.ident: s for s in pack.policies}
    spec = by_id.get(policy_id)
    close = [] if spec else difflib.get_close_matches(policy_id, sorted(by_id), n=3, cutoff=0.6)
    return {"found": spec is not None, "enabled": bool(spec and spec.enabled), "close": close}


def _members(spec: Spec) -> tuple[str, str]:
    return _spec_member(spec), _source_member(spec)


def check_paths(merged: Merged, overlay: LoadedSpecs) -> None:
    """An added spec stored where a kept base spec is stored would overwrite it: say which."""
    mine = {id(s) for s in [*overlay.policies, *overlay.globals]}
    taken: dict[str, Spec] = {}
    for spec in [*merged.specs.globals, *merged.specs.policies]:
        if id(spec) not in mine:
            for member in _members(spec):
                taken[member] = spec
    for spec in [*overlay.globals, *overlay.policies]:
        for member in _members(spec):
            other = taken.get(member)
            if other is not None:
                raise ValueError(f"{spec.path}: stored as {member}, where the base pack keeps "
                                 f"{other.ident}; move the file to a folder of another name")


def _source_args(parser: argparse.ArgumentParser, name: str) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(f"--{name}", metavar="FILE")
    group.add_argument(f"--{name}-dir", nargs="+", metavar="DIR")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.pack_layers",
                                     description="Add a policy pack to a base pack by ID.")
    commands = parser.add_subparsers(dest="command", required=True)
    merge = commands.add_parser("merge")
    _source_args(merge, "base")
    _source_args(merge, "overlay")
    merge.add_argument("--out", required=True, metavar="FILE")
    find = commands.add_parser("lookup")
    _source_args(find, "base")
    find.add_argument("--policy", required=True, metavar="ID")
    for sub in (merge, find):
        sub.add_argument("--resource-types", default=None, metavar="A,B,C")
    args = parser.parse_args(argv)
    types = parse_resource_types(args.resource_types)
    try:
        base = load_pack(args.base, args.base_dir, types)
        if args.command == "lookup":
            print(json.dumps(lookup(base.specs, args.policy), sort_keys=True))
            return 0
        overlay = load_pack(args.overlay, args.overlay_dir, types)
        merged = merge_packs(base.specs, overlay.specs)
        check_paths(merged, overlay.specs)
        manifest = write_bundle_zip(merged.specs, args.out,
                                    [*base.requirement_files, *overlay.requirement_files],
                                    [*base.requirements, *overlay.requirements])
    except (OSError, ValueError) as exc:
        print(f"pack layers: {one_line(exc)}", file=sys.stderr)
        return 1
    print(json.dumps({"contentHash": manifest["contentHash"], "added": merged.added,
                      "overridden": merged.overridden, "addedGlobals": merged.added_globals,
                      "overriddenGlobals": merged.overridden_globals}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
