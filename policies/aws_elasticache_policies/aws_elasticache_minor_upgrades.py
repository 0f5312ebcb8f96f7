"""ElastiCache clusters must apply minor engine upgrades automatically (FSBP ElastiCache.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("AutoMinorVersionUpgrade") is True


def title(resource: Any) -> str:
    return f"ElastiCache cluster [{resource.get('CacheClusterId')}] does not apply minor version upgrades"
