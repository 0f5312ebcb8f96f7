"""The policy catalog of a pack: what each policy's spec says, for the compliance view and exports.

    python -m posture_engine.catalog --zip FILE.zip
    python -m posture_engine.catalog DIR [DIR...]

Prints one JSON object: `source` (the bundle's content hash, or the directories) and `policies`,
one entry per policy sorted by ID: policyId, displayName, severity, resourceTypes, enabled,
selected, reports (framework -> control IDs, as strings), description, runbook, reference. With
`$POSTURE_REPORTS_DESELECT` (reports_select), a policy the chosen frameworks leave out is
`selected: false` and, as the engine treats it, `enabled: false`. The pack is read
with the same loaders as the engine (bundle_zip / specs), so a catalog never disagrees with what
runs. Exit 1 with one line on stderr when the pack cannot be read or holds invalid specs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from posture_engine.bundle_zip import read_bundle_zip
from posture_engine.common import one_line
from posture_engine.reports_select import deselection_from_env, is_selected
from posture_engine.specs import LoadedSpecs, Spec, load_specs

__all__ = ["catalog_entry", "build_catalog", "main"]


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _control_id(value: Any) -> str:
    # Specs may leave IDs unquoted (YAML reads 3.7 as a number); the text is what the user wrote
    # for all but trailing zeros (1.10 -> 1.1), which is why the built-in pack quotes them.
    return value if isinstance(value, str) else str(value)


def catalog_entry(spec: Spec, selected: bool = True) -> dict[str, Any]:
    """What the spec says; `selected` False (the frameworks chosen leave it out) disables it."""
    data = spec.data
    reports = data.get("Reports") or {}
    return {
        "policyId": spec.ident,
        "displayName": _text(data.get("DisplayName")),
        "severity": data["Severity"],
        "resourceTypes": list(data.get("ResourceTypes") or []),
        "enabled": spec.enabled and selected,
        "selected": selected,
        "reports": {str(k): [_control_id(c) for c in v] for k, v in reports.items()},
        "description": _text(data.get("Description")),
        "runbook": _text(data.get("Runbook")),
        "reference": _text(data.get("Reference")),
    }


def build_catalog(loaded: LoadedSpecs, source: str) -> dict[str, Any]:
    if loaded.errors:
        raise ValueError(loaded.errors[0])
    deselected = deselection_from_env()
    policies = sorted((catalog_entry(s, is_selected(s.data, deselected)) for s in loaded.policies),
                      key=lambda e: e["policyId"])
    return {"source": source, "policies": policies}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.catalog",
                                     description="Print the policy catalog of a pack as JSON.")
    parser.add_argument("--zip", metavar="FILE", help="a bundle zip (posture bundle / the active bundle)")
    parser.add_argument("dirs", nargs="*", metavar="DIR", help="policy pack directories")
    args = parser.parse_args(argv)
    if bool(args.zip) == bool(args.dirs):
        print("catalog: give either --zip FILE or pack directories", file=sys.stderr)
        return 2
    try:
        if args.zip:
            loaded, manifest = read_bundle_zip(Path(args.zip).read_bytes(), args.zip)
            catalog = build_catalog(loaded, f"bundle {manifest['contentHash']}")
        else:
            catalog = build_catalog(load_specs(args.dirs), " ".join(args.dirs))
    except (OSError, ValueError) as exc:
        print(f"catalog: {one_line(exc)}", file=sys.stderr)
        return 1
    print(json.dumps(catalog, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
