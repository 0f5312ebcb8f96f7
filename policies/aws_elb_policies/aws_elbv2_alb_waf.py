"""Application Load Balancers must be associated with an AWS WAF web ACL (FSBP ELB.16)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool((resource.get("WebAcl") or {}).get("ARN"))


def title(resource: Any) -> str:
    return f"Application Load Balancer [{resource.get('LoadBalancerName')}] has no WAF web ACL"
