"""Neptune DB cluster snapshots must not be restorable by everyone (FSBP Neptune.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Engine") != "neptune":
        return True  # another engine's control
    for attribute in resource.get("DBClusterSnapshotAttributes") or []:
        if attribute.get("AttributeName") == "restore" and "all" in (attribute.get("AttributeValues") or []):
            return False
    return True


def title(resource: Any) -> str:
    return f"Neptune cluster snapshot [{resource.get('DBClusterSnapshotIdentifier')}] is public"
