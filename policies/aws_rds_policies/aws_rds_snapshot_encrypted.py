"""RDS DB snapshots must be encrypted at rest (FSBP RDS.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("Encrypted") is True


def title(resource: Any) -> str:
    return f"RDS snapshot [{resource.get('DBSnapshotIdentifier')}] is not encrypted"
