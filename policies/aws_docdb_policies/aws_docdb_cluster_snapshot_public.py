"""DocumentDB DB cluster snapshots must not be restorable by everyone (FSBP DocumentDB.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Engine") != "docdb":
        return True  # another engine's control
    for attribute in resource.get("DBClusterSnapshotAttributes") or []:
        if attribute.get("AttributeName") == "restore" and "all" in (attribute.get("AttributeValues") or []):
            return False
    return True


def title(resource: Any) -> str:
    return f"DocumentDB cluster snapshot [{resource.get('DBClusterSnapshotIdentifier')}] is public"
