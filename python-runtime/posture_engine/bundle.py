"""The JSON bundle the Lambda loads: validated specs plus their Python sources, and a version.

The version is the SHA-256 of the canonical JSON of everything else in the bundle; specs and
sources are named by root-relative paths so the same pack gives the same version on any
machine. Tests are left out: they do not affect evaluation and would only add weight.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from posture_engine.specs import LoadedSpecs, Spec, format_problem, validate_spec

__all__ = ["BUNDLE_FORMAT", "build_bundle", "bundle_version", "read_bundle", "specs_from_bundle"]

BUNDLE_FORMAT = "posture-bundle/1"


def _entry(spec: Spec) -> dict[str, Any]:
    data = {key: value for key, value in spec.data.items() if key != "Tests"}
    source_path = posixpath.join(posixpath.dirname(spec.portable_path), str(data["Filename"]))
    return {"id": spec.ident, "specPath": spec.portable_path, "sourcePath": source_path,
            "spec": data, "source": spec.source}


def bundle_version(bundle: Mapping[str, Any]) -> str:
    content = {key: value for key, value in bundle.items() if key != "version"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def build_bundle(loaded: LoadedSpecs) -> dict[str, Any]:
    """The bundle for already-validated specs (sorted, so the version is deterministic)."""
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "globals": [_entry(s) for s in sorted(loaded.globals, key=lambda s: s.ident)],
        "policies": [_entry(s) for s in sorted(loaded.policies, key=lambda s: s.ident)],
    }
    bundle["version"] = bundle_version(bundle)
    return bundle


def read_bundle(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            bundle = json.load(handle)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read bundle: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: invalid bundle JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(bundle, dict):
        raise ValueError(f"{path}: a bundle must be a JSON object")
    return bundle


def specs_from_bundle(bundle: Mapping[str, Any]) -> tuple[LoadedSpecs, str]:
    """Specs to compile and the bundle version; raises ValueError if the bundle is unusable."""
    if bundle.get("format") != BUNDLE_FORMAT:
        raise ValueError(f"unsupported bundle format {bundle.get('format')!r}, "
                         f"expected {BUNDLE_FORMAT!r}")
    version = bundle_version(bundle)
    if bundle.get("version") != version:
        raise ValueError("bundle version does not match its content (modified after build?)")
    loaded = LoadedSpecs()
    for kind, key in (("global", "globals"), ("policy", "policies")):
        entries = bundle.get(key)
        if not isinstance(entries, list):
            raise ValueError(f"bundle {key} must be a list")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
                raise ValueError(f"bundle {key}[{index}] must be an object with a source")
            path = str(entry.get("specPath") or f"{key}[{index}]")
            data: Any = entry.get("spec")
            problems = validate_spec(data)
            if not problems and data.get("AnalysisType") != kind:
                problems = [("AnalysisType", f"expected {kind!r} in bundle {key}")]
            if problems:
                loaded.errors.extend(format_problem(path, p) for p in problems)
                continue
            ident = data["PolicyID"] if kind == "policy" else data["GlobalID"]
            spec = Spec(kind, ident, data, path, path, str(entry.get("sourcePath") or path),
                        entry["source"])
            (loaded.policies if kind == "policy" else loaded.globals).append(spec)
    return loaded, version
