"""ElastiCache clusters must run in a subnet group of their own, not the default one (FSBP ElastiCache.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("CacheSubnetGroupName") != "default"


def title(resource: Any) -> str:
    return f"ElastiCache cluster [{resource.get('CacheClusterId')}] uses the default subnet group"
