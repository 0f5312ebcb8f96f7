"""RDS DB snapshots must not be restorable by everyone (FSBP RDS.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    for attribute in resource.get("DBSnapshotAttributes") or []:
        if attribute.get("AttributeName") == "restore" and "all" in (attribute.get("AttributeValues") or []):
            return False
    return True


def title(resource: Any) -> str:
    return f"RDS snapshot [{resource.get('DBSnapshotIdentifier')}] is public"
