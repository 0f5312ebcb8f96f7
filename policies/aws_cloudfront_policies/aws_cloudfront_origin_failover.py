"""CloudFront distributions must have an origin group with two origins for failover (FSBP CloudFront.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    groups = ((resource.get("DistributionConfig") or {}).get("OriginGroups") or {}).get("Items") or []
    return any(len((g.get("Members") or {}).get("Items") or []) >= 2 for g in groups)


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] has no origin failover"
