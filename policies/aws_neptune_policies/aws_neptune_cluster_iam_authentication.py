"""Neptune clusters must have IAM database authentication on (FSBP Neptune.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("IAMDatabaseAuthenticationEnabled") is True


def title(resource: Any) -> str:
    return f"Neptune cluster [{resource.get('DBClusterIdentifier')}] does not accept IAM database authentication"
