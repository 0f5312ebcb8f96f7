"""One policy of a pack, as the console's policy editor edits it, and the pack's global helpers.

    python -m posture_engine.policy_export [--policy ID] (--zip FILE | DIR [DIR...]) [--globals-out DIR]

Prints one JSON object: `globals` (the pack's GlobalIDs) and, with `--policy`, `policyId`, `spec` (the spec's fields as the loader read them; a bundle's
specs carry no Tests) and `source` (the policy's Python). With `--globals-out DIR` it also writes
every global helper of the pack into DIR (spec as JSON, source under its Filename), so a draft
policy written next to them loads, tests and bundles with the helpers it imports. The pack is read
with the engine's loaders (bundle_zip / specs), so the editor starts from exactly what runs.
Exit 1 with one line on stderr when the pack cannot be read or holds no such policy.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from posture_engine.bundle_zip import read_bundle_zip
from posture_engine.common import one_line
from posture_engine.specs import LoadedSpecs, Spec, load_specs

__all__ = ["export_policy", "write_globals", "main"]


def export_policy(loaded: LoadedSpecs, policy_id: str) -> dict[str, Any]:
    if loaded.errors:
        raise ValueError(loaded.errors[0])
    for spec in loaded.policies:
        if spec.ident == policy_id:
            return {"policyId": spec.ident, "spec": dict(spec.data), "source": spec.source}
    raise ValueError(f"no policy {policy_id!r} in the pack")


def write_globals(globals_: list[Spec], out: Path) -> list[str]:
    """Writes each global's spec (JSON) and source into `out`; the GlobalIDs written."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for spec in globals_:
        filename = str(spec.data["Filename"])
        if filename in written:
            raise ValueError(f"globals {written[filename]!r} and {spec.ident!r} both use {filename}")
        written[filename] = spec.ident
        (out / filename).write_text(spec.source, encoding="utf-8")
        (out / f"{Path(filename).stem}.json").write_text(json.dumps(dict(spec.data), sort_keys=True),
                                                         encoding="utf-8")
    return sorted(written.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.policy_export",
                                     description="Print one policy of a pack (spec and source) as JSON.")
    parser.add_argument("--policy", metavar="ID", help="the PolicyID to print")
    parser.add_argument("--zip", metavar="FILE", help="a bundle zip (posture bundle / the active bundle)")
    parser.add_argument("--globals-out", metavar="DIR", help="also write the pack's global helpers here")
    parser.add_argument("dirs", nargs="*", metavar="DIR", help="policy pack directories")
    args = parser.parse_args(argv)
    if bool(args.zip) == bool(args.dirs):
        print("policy_export: give either --zip FILE or pack directories", file=sys.stderr)
        return 2
    try:
        loaded = read_bundle_zip(Path(args.zip).read_bytes(), args.zip)[0] if args.zip else load_specs(args.dirs)
        if loaded.errors:
            raise ValueError(loaded.errors[0])
        doc: dict[str, Any] = export_policy(loaded, args.policy) if args.policy else {}
        doc["globals"] = sorted(g.ident for g in loaded.globals)
        if args.globals_out:
            write_globals(loaded.globals, Path(args.globals_out))
    except (OSError, ValueError) as exc:
        print(f"policy_export: {one_line(exc)}", file=sys.stderr)
        return 1
    print(json.dumps(doc, sort_keys=True, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
