"""EBS snapshots must not be restorable by everyone (FSBP EC2.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return not any(p.get("Group") == "all" for p in resource.get("CreateVolumePermissions") or [])


def title(resource: Any) -> str:
    return f"EBS snapshot [{resource.get('SnapshotId')}] is public"
