"""Network load balancers must span more than one Availability Zone (FSBP ELB.13)."""

from typing import Any


def policy(resource: Any) -> bool:
    return len({z.get("ZoneName") for z in resource.get("AvailabilityZones") or []}) > 1


def title(resource: Any) -> str:
    return f"Network load balancer [{resource.get('LoadBalancerName')}] serves a single Availability Zone"
