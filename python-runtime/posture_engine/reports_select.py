"""Which policies run: the framework packs a deployment (or `posture scan --frameworks`) chose.

A policy's frameworks are its spec's `Reports` keys; folders stay per service, since one policy
usually belongs to several frameworks. The TypeScript side resolves framework names (`cis`,
`fsbp`, `pci-4.0`, ... src/compliance/frameworks/selection.ts) into the `Reports` keys of the known
frameworks that were NOT chosen, and hands them to the engine as a JSON list in
`$POSTURE_REPORTS_DESELECT`. A policy is left out when it has `Reports` and every one of its keys
is in that list (compared case-insensitively). So a policy with no `Reports` (a team's own), or
one reporting to a framework Posture does not know, always runs: a framework choice never drops
it silently. Absent or empty: every policy runs (stacks deployed before the choice existed).

A policy left out is treated as `Enabled: false`: loaded and listed (the catalog says
`enabled: false, selected: false`), never evaluated, so it has no results.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["DESELECT_ENV", "deselection_from_env", "is_selected", "parse_deselection"]

DESELECT_ENV = "POSTURE_REPORTS_DESELECT"

Deselection = frozenset[str]


def _key(name: str) -> str:
    return name.strip().lower()


def parse_deselection(text: str | None) -> Deselection:
    """The deselected `Reports` keys (normalized) from the variable's JSON text; ValueError (one
    line) when it is not a JSON list of strings."""
    if text is None or not text.strip():
        return frozenset()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{DESELECT_ENV}: not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{DESELECT_ENV}: expected a JSON list of framework names (Reports keys)")
    return frozenset(_key(v) for v in value if v.strip())


def deselection_from_env(env: Mapping[str, str] | None = None) -> Deselection:
    return parse_deselection((os.environ if env is None else env).get(DESELECT_ENV))


def is_selected(spec_data: Mapping[str, Any], deselected: Deselection) -> bool:
    """False only when the spec reports to frameworks and all of them were left out."""
    if not deselected:
        return True
    reports = spec_data.get("Reports")
    if not isinstance(reports, Mapping) or not reports:
        return True
    return any(_key(str(k)) not in deselected for k in reports)
