"""RDS clusters must have IAM database authentication on (FSBP RDS.12)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("IAMDatabaseAuthenticationEnabled") is True


def title(resource: Any) -> str:
    return f"RDS cluster [{resource.get('DBClusterIdentifier')}] does not accept IAM database authentication"
