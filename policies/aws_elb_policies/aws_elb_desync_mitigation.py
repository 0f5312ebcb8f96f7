"""Classic Load Balancers must use the defensive or strictest HTTP desync mitigation mode (FSBP ELB.14)."""

from typing import Any


def policy(resource: Any) -> bool:
    for attribute in (resource.get("Attributes") or {}).get("AdditionalAttributes") or []:
        if attribute.get("Key") == "elb.http.desyncmitigationmode":
            return attribute.get("Value") in ("defensive", "strictest")
    return True  # unset: AWS applies the default, defensive


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] forwards ambiguous HTTP requests"
