"""CloudFront distributions must be protected by an AWS WAF web ACL (FSBP CloudFront.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool((resource.get("DistributionConfig") or {}).get("WebACLId"))


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] has no WAF web ACL"
