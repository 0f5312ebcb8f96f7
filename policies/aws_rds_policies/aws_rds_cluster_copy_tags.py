"""RDS clusters must copy their tags to snapshots (FSBP RDS.16)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("CopyTagsToSnapshot") is True


def title(resource: Any) -> str:
    return f"RDS cluster [{resource.get('DBClusterIdentifier')}] does not copy its tags to snapshots"
