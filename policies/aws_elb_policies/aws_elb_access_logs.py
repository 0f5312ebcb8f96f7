"""Classic Load Balancers must write access logs (FSBP ELB.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return ((resource.get("Attributes") or {}).get("AccessLog") or {}).get("Enabled") is True


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] does not write access logs"
