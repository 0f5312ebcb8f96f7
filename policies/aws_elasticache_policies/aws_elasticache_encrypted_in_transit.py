"""ElastiCache replication groups must encrypt traffic with TLS (FSBP ElastiCache.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("TransitEncryptionEnabled") is True


def title(resource: Any) -> str:
    return f"ElastiCache replication group [{resource.get('ReplicationGroupId')}] is not encrypted in transit"
