"""RDS for MySQL DB clusters (Multi-AZ DB clusters) must copy their tags to snapshots (FSBP RDS.48)."""

from typing import Any

from posture_rds import engine_is


def policy(resource: Any) -> bool:
    if not engine_is(resource, "mysql"):
        return True  # Aurora and other engines: RDS.16 judges every cluster
    return resource.get("CopyTagsToSnapshot") is True


def title(resource: Any) -> str:
    return f"RDS for MySQL cluster [{resource.get('DBClusterIdentifier')}] does not copy its tags to snapshots"
