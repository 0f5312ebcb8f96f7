"""RDS clusters must apply minor engine upgrades automatically (FSBP RDS.35)."""

from typing import Any


def policy(resource: Any) -> bool:
    # Aurora reports the setting per instance: the cluster answers null, nothing to judge here.
    return resource.get("AutoMinorVersionUpgrade") is not False


def title(resource: Any) -> str:
    return f"RDS cluster [{resource.get('DBClusterIdentifier')}] does not apply minor engine upgrades automatically"
