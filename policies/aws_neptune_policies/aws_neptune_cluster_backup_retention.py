"""Neptune clusters must keep automated backups for at least 7 days (FSBP Neptune.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("BackupRetentionPeriod") or 0) >= 7


def title(resource: Any) -> str:
    return f"Neptune cluster [{resource.get('DBClusterIdentifier')}] keeps automated backups for fewer than 7 days"
