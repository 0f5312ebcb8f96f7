"""Shared fixtures: python-runtime on sys.path and a builder for throwaway policy packs."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import zipfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = RUNTIME_DIR.parent
if str(RUNTIME_DIR) not in sys.path:
    sys.path.insert(0, str(RUNTIME_DIR))

# The registry's types, as its generated docs list them (one page per type; a TypeScript test
# keeps docs/resources current with src/resources), so new types need no edit here.
KNOWN_TYPES = ",".join(sorted(page.stem for page in (REPO_ROOT / "docs" / "resources").glob("AWS.*.md")))


class Pack:
    """Writes policies/globals into <tmp>/pack/test_policies (a folder name the loader accepts)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / "test_policies"
        self.dir.mkdir(parents=True, exist_ok=True)

    def policy(self, name: str, source: str, **fields: Any) -> Path:
        spec: dict[str, Any] = {
            "AnalysisType": "policy",
            "Filename": f"{name}.py",
            "PolicyID": f"Test.{name}",
            "Severity": "Medium",
            "ResourceTypes": ["AWS.S3.Bucket"],
        }
        spec.update(fields)
        (self.dir / f"{name}.py").write_text(textwrap.dedent(source))
        path = self.dir / f"{name}.json"
        path.write_text(json.dumps(spec))
        return path

    def global_(self, global_id: str, source: str) -> Path:
        (self.dir / f"{global_id}.py").write_text(textwrap.dedent(source))
        path = self.dir / f"{global_id}.json"
        path.write_text(json.dumps({"AnalysisType": "global", "Filename": f"{global_id}.py",
                                    "GlobalID": global_id}))
        return path

    def raw(self, filename: str, text: str) -> Path:
        path = self.dir / filename
        path.write_text(textwrap.dedent(text))
        return path


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return Pack(tmp_path / "pack")


def bucket(resource_id: str = "arn:aws:s3:::b1", **fields: Any) -> dict[str, Any]:
    """A minimal AWS.S3.Bucket resource in the Panther model."""
    resource: dict[str, Any] = {
        "ResourceId": resource_id, "ResourceType": "AWS.S3.Bucket", "AccountId": "123456789012",
        "Region": "us-east-1", "Arn": resource_id, "Id": None, "Name": resource_id.split(":")[-1],
        "Tags": None, "TimeCreated": None, "EncryptionRules": None, "Grants": None,
    }
    resource.update(fields)
    return resource


def make_wheel(directory: Path) -> Path:
    """A tiny pure-Python wheel, so vendoring is tested without any network."""
    files = {
        "tinydep/__init__.py": "ANSWER = 42\n",
        "tinydep-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tinydep\nVersion: 1.0\n",
        "tinydep-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: posture-tests\n"
                                       "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{name},sha256={digest.decode()},{len(text.encode())}")
    files["tinydep-1.0.dist-info/RECORD"] = "\n".join([*record, "tinydep-1.0.dist-info/RECORD,,"]) + "\n"
    directory.mkdir(parents=True, exist_ok=True)
    wheel = directory / "tinydep-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def full_results(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """A wire reply's results as full records (the test oracle of src/scan/engine-wire.ts)."""
    from posture_engine.wire import POLICY_FIELDS
    defaults = {"errorMessage": None, "title": None, "dedup": None, "suppressed": False,
                "alertContext": None}
    return [{**defaults, **{k: reply["policies"][r["policyId"]][k] for k in POLICY_FIELDS}, **r}
            for r in reply["results"]]
