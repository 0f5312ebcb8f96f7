"""Policy bundles as zip files: what `posture bundle` writes and the engine Lambda loads from S3.

Layout (paths mirror the pack, rooted at each pack folder's name):

    manifest.json
    policies/aws_s3_policies/aws_s3_bucket_encryption.json   the validated spec, as JSON,
    policies/aws_s3_policies/aws_s3_bucket_encryption.py     without Tests; and its source

The manifest lists every policy and global with the SHA-256 of its spec and source files and a
per-entry `version` (hash of both), the SHA-256 of each pack's requirements.txt, the creation
time, the engine version, and `contentHash`: the SHA-256 of the canonical JSON of the format,
entries and requirements. The creation time is outside the hash, so rebuilding an unchanged
pack gives the same contentHash, which is the version the engine reports with its results.

Reading verifies everything: the content hash against the entries, and each file against its
entry. Specs are JSON, so loading needs no PyYAML (the Lambda has none).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from posture_engine import __version__
from posture_engine.specs import LoadedSpecs, Spec, format_problem, validate_spec

__all__ = ["MANIFEST", "ZIP_FORMAT", "build_bundle_zip", "content_hash", "read_bundle_zip",
           "write_bundle_zip"]

ZIP_FORMAT = "posture-bundle-zip/1"
MANIFEST = "manifest.json"
# Fixed timestamps on the zip members, so the same content gives byte-identical members.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def content_hash(manifest: Mapping[str, Any]) -> str:
    """The bundle's content hash: over what the engine evaluates, not when it was built."""
    return _sha256(_canonical({key: manifest.get(key) for key in
                               ("format", "globals", "policies", "requirements")}))


def _spec_member(spec: Spec) -> str:
    return posixpath.splitext(spec.portable_path)[0] + ".json"


def _source_member(spec: Spec) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(spec.portable_path),
                                             str(spec.data["Filename"])))


def build_bundle_zip(loaded: LoadedSpecs, requirements: Sequence[Path] = (),
                     created_at: str | None = None,
                     listed_requirements: Sequence[Mapping[str, str]] = ()
                     ) -> tuple[bytes, dict[str, Any]]:
    """The zip's bytes and its manifest, for specs that are valid (and tested) already.

    `listed_requirements`: requirement entries of bundles this one is merged from
    (pack_layers.py), kept as their manifests list them.
    """
    files: dict[str, bytes] = {}

    def add(member: str, data: bytes) -> None:
        if files.get(member, data) != data:  # two specs mapping to one member name
            raise ValueError(f"bundle: two different files would be stored as {member}")
        files[member] = data

    def entries(specs: Sequence[Spec]) -> list[dict[str, str]]:
        listed = []
        for spec in sorted(specs, key=lambda s: s.ident):
            spec_data = _canonical({k: v for k, v in spec.data.items() if k != "Tests"})
            source = spec.source.encode("utf-8")
            spec_path, source_path = _spec_member(spec), _source_member(spec)
            add(spec_path, spec_data)
            add(source_path, source)
            spec_sha, source_sha = _sha256(spec_data), _sha256(source)
            listed.append({"id": spec.ident, "spec": spec_path, "source": source_path,
                           "specSha256": spec_sha, "sourceSha256": source_sha,
                           "version": _sha256(f"{spec_sha}:{source_sha}".encode())})
        return listed

    manifest: dict[str, Any] = {
        "format": ZIP_FORMAT,
        "engineVersion": __version__,
        "createdAt": created_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "globals": entries(loaded.globals),
        "policies": entries(loaded.policies),
        # The Lambda does not install these: the layer vendors them (build_layer). Listed so a
        # deployment can tell whether its layer was built from the same requirements.
        "requirements": list({r["path"]: {"path": r["path"], "sha256": r["sha256"]} for r in [
            *listed_requirements,
            *({"path": f"{path.resolve().parent.name}/{path.name}",
               "sha256": _sha256(path.read_bytes())} for path in requirements)]}.values()),
    }
    manifest["contentHash"] = content_hash(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode()),
                           *sorted(files.items())]:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue(), manifest


def write_bundle_zip(loaded: LoadedSpecs, out: str | Path,
                     requirements: Sequence[Path] = (),
                     listed_requirements: Sequence[Mapping[str, str]] = ()) -> dict[str, Any]:
    """Write the bundle atomically (a temporary file renamed into place); returns the manifest."""
    data, manifest = build_bundle_zip(loaded, requirements, listed_requirements=listed_requirements)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return manifest


def _member(archive: zipfile.ZipFile, name: Any, where: str) -> bytes:
    if not isinstance(name, str):
        raise ValueError(f"{where}: manifest entry names no file")
    try:
        return archive.read(name)
    except KeyError:
        raise ValueError(f"{where}: {name} is missing from the bundle") from None


def read_bundle_zip(data: bytes, origin: str = "bundle") -> tuple[LoadedSpecs, dict[str, Any]]:
    """Specs from a bundle zip and its manifest; ValueError (one line) if anything is off."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{origin}: not a zip file ({exc})") from None
    with archive:
        try:
            manifest = json.loads(_member(archive, MANIFEST, origin))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{origin}: {MANIFEST} is not valid JSON: {exc.msg}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != ZIP_FORMAT:
            found = manifest.get("format") if isinstance(manifest, dict) else None
            raise ValueError(f"{origin}: unsupported bundle format {found!r}, "
                             f"expected {ZIP_FORMAT!r}")
        if manifest.get("contentHash") != content_hash(manifest):
            raise ValueError(f"{origin}: manifest contentHash does not match its entries "
                             "(modified after build?)")
        loaded = LoadedSpecs()
        for kind, key in (("global", "globals"), ("policy", "policies")):
            listed = manifest.get(key)
            if not isinstance(listed, list):
                raise ValueError(f"{origin}: manifest {key} must be a list")
            for index, entry in enumerate(listed):
                where = f"{origin}: {key}[{index}]"
                if not isinstance(entry, dict):
                    raise ValueError(f"{where}: must be an object")
                spec_bytes = _member(archive, entry.get("spec"), where)
                source_bytes = _member(archive, entry.get("source"), where)
                if (_sha256(spec_bytes) != entry.get("specSha256")
                        or _sha256(source_bytes) != entry.get("sourceSha256")):
                    raise ValueError(f"{where}: {entry.get('spec')} or {entry.get('source')} "
                                     "does not match its SHA-256 in the manifest")
                spec_path = f"{origin}:{entry['spec']}"
                spec_data: Any = json.loads(spec_bytes)
                problems = validate_spec(spec_data)
                if not problems and spec_data.get("AnalysisType") != kind:
                    problems = [("AnalysisType", f"expected {kind!r} in manifest {key}")]
                if problems:
                    loaded.errors.extend(format_problem(spec_path, p) for p in problems)
                    continue
                ident = spec_data["PolicyID"] if kind == "policy" else spec_data["GlobalID"]
                spec = Spec(kind, ident, spec_data, spec_path, str(entry["spec"]),
                            f"{origin}:{entry['source']}", source_bytes.decode("utf-8"))
                (loaded.policies if kind == "policy" else loaded.globals).append(spec)
    return loaded, manifest
