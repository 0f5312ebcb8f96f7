"""ElastiCache replication groups must fail over automatically (FSBP ElastiCache.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("AutomaticFailover") == "enabled"


def title(resource: Any) -> str:
    return f"ElastiCache replication group [{resource.get('ReplicationGroupId')}] has no automatic failover"
