"""Classic Load Balancers must drain connections of deregistering instances (FSBP ELB.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    return ((resource.get("Attributes") or {}).get("ConnectionDraining") or {}).get("Enabled") is True


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] cuts in-flight requests of deregistering instances"
