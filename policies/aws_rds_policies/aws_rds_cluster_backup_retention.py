"""RDS DB clusters must keep automated backups for at least 7 days (FSBP RDS.50)."""

from typing import Any

# Security Hub's default minimumBackupRetentionPeriod for RDS.50.
MINIMUM_RETENTION_DAYS = 7


def policy(resource: Any) -> bool:
    return (resource.get("BackupRetentionPeriod") or 0) >= MINIMUM_RETENTION_DAYS


def title(resource: Any) -> str:
    days = resource.get("BackupRetentionPeriod") or 0
    return f"RDS cluster [{resource.get('DBClusterIdentifier')}] keeps automated backups for {days} days (under {MINIMUM_RETENTION_DAYS})"
