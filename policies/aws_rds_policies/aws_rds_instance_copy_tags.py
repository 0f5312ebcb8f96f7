"""RDS DB instances should copy their tags to snapshots (FSBP RDS.17)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("CopyTagsToSnapshot") is True


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] does not copy its tags to snapshots"
