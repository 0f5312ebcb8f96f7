"""Neptune DB cluster snapshots must be encrypted at rest (FSBP Neptune.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Engine") != "neptune":
        return True  # another engine's control
    return resource.get("StorageEncrypted") is True


def title(resource: Any) -> str:
    return f"Neptune cluster snapshot [{resource.get('DBClusterSnapshotIdentifier')}] is not encrypted"
