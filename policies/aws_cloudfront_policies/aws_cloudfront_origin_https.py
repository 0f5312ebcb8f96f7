"""CloudFront distributions must encrypt traffic to their custom origins (FSBP CloudFront.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    config = resource.get("DistributionConfig") or {}
    viewers_http = (config.get("DefaultCacheBehavior") or {}).get("ViewerProtocolPolicy") == "allow-all"
    for origin in (config.get("Origins") or {}).get("Items") or []:
        custom = origin.get("CustomOriginConfig")
        if not custom:
            continue
        protocol = custom.get("OriginProtocolPolicy")
        if protocol == "http-only" or (protocol == "match-viewer" and viewers_http):
            return False
    return True


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] reaches a custom origin over HTTP"
