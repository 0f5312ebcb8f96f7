"""ElastiCache replication groups must encrypt their data at rest (FSBP ElastiCache.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("AtRestEncryptionEnabled") is True


def title(resource: Any) -> str:
    return f"ElastiCache replication group [{resource.get('ReplicationGroupId')}] is not encrypted at rest"
