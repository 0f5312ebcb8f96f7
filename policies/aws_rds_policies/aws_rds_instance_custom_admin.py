"""RDS DB instances must not use a default administrator user name (FSBP RDS.25)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("DBClusterIdentifier"):
        return True  # Aurora members share their cluster's master user (RDS.24)
    return (resource.get("MasterUsername") or "").lower() not in ("admin", "postgres", "root")


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] uses a default administrator user name"
