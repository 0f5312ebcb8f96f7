"""Network load balancers must have deletion protection on (FSBP ELB.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    for attribute in resource.get("Attributes") or []:
        if attribute.get("Key") == "deletion_protection.enabled":
            return attribute.get("Value") == "true"
    return False


def title(resource: Any) -> str:
    return f"Network load balancer [{resource.get('LoadBalancerName')}] can be deleted without first turning off deletion protection"
