"""RDS DB instances should keep automated backups for at least 7 days (FSBP RDS.11)."""

from typing import Any

MINIMUM_RETENTION_DAYS = 7


def policy(resource: Any) -> bool:
    if resource.get("ReadReplicaSourceDBInstanceIdentifier") or resource.get("DBClusterIdentifier"):
        return True  # replicas and Aurora members are backed up by their source / cluster
    return (resource.get("BackupRetentionPeriod") or 0) >= MINIMUM_RETENTION_DAYS


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] keeps automated backups for {resource.get('BackupRetentionPeriod') or 0} days (under 7)"
