"""Every cache behavior of a CloudFront distribution must require HTTPS from viewers (FSBP CloudFront.3)."""

from typing import Any


def behaviors(config: Any) -> list:
    extra = (config.get("CacheBehaviors") or {}).get("Items") or []
    return [config.get("DefaultCacheBehavior") or {}, *extra]


def policy(resource: Any) -> bool:
    config = resource.get("DistributionConfig") or {}
    return all(b.get("ViewerProtocolPolicy") != "allow-all" for b in behaviors(config))


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] serves viewers over HTTP"
