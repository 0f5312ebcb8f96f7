"""Redis OSS clusters on versions before 6.0 (no RBAC) must require AUTH (FSBP ElastiCache.6)."""

from typing import Any


def major_version(version: Any) -> int:
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 0


def policy(resource: Any) -> bool:
    if resource.get("Engine") != "redis" or major_version(resource.get("EngineVersion")) >= 6:
        return True  # Valkey, Memcached and Redis OSS 6+ (RBAC user groups) are out of scope
    return resource.get("AuthTokenEnabled") is True


def title(resource: Any) -> str:
    return f"ElastiCache cluster [{resource.get('CacheClusterId')}] runs Redis OSS before 6.0 without AUTH"
