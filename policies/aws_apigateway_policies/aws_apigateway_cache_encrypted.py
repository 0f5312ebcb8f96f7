"""REST API stages that cache responses must encrypt the cache (FSBP APIGateway.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    for stage in resource.get("Stages") or []:
        if not stage.get("CacheClusterEnabled"):
            continue
        for setting in (stage.get("MethodSettings") or {}).values():
            if setting.get("CachingEnabled") and not setting.get("CacheDataEncrypted"):
                return False
    return True


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] caches responses unencrypted"
