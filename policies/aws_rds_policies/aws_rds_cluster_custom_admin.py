"""RDS clusters must not use the default administrator user name (FSBP RDS.24)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("MasterUsername") or "").lower() not in ("admin", "postgres", "root")


def title(resource: Any) -> str:
    return f"RDS cluster [{resource.get('DBClusterIdentifier')}] uses a default administrator user name"
