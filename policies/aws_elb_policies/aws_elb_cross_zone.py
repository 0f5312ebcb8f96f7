"""Classic Load Balancers must have cross-zone load balancing on (FSBP ELB.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    return ((resource.get("Attributes") or {}).get("CrossZoneLoadBalancing") or {}).get("Enabled") is True


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] does not balance across zones"
