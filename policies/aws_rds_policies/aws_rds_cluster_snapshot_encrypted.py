"""RDS DB cluster snapshots must be encrypted at rest (FSBP RDS.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Engine") in ("docdb", "neptune"):
        return True  # another engine's control
    return resource.get("StorageEncrypted") is True


def title(resource: Any) -> str:
    return f"RDS cluster snapshot [{resource.get('DBClusterSnapshotIdentifier')}] is not encrypted"
