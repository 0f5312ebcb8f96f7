"""Valkey and Redis OSS clusters and replication groups must keep automatic backups (FSBP ElastiCache.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    # Memcached keeps no data worth a backup and has no snapshots.
    if resource.get("ResourceType") == "AWS.ElastiCache.CacheCluster" and resource.get("Engine") == "memcached":
        return True
    return (resource.get("SnapshotRetentionLimit") or 0) >= 1


def title(resource: Any) -> str:
    return f"ElastiCache [{resource.get('Name')}] has no automatic backups"
