"""Classic Load Balancers must span more than one Availability Zone (FSBP ELB.10)."""

from typing import Any


def policy(resource: Any) -> bool:
    return len(set(resource.get("AvailabilityZones") or [])) > 1


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] serves a single Availability Zone"
