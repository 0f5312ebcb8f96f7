"""Application Load Balancers must span at least two Availability Zones (FSBP ELB.13)."""

from typing import Any

MIN_ZONES = 2


def zones(resource: Any) -> set[str]:
    return {str(zone.get("ZoneName")) for zone in resource.get("AvailabilityZones") or []}


def policy(resource: Any) -> bool:
    return len(zones(resource)) >= MIN_ZONES


def title(resource: Any) -> str:
    return (f"Application Load Balancer [{resource.get('LoadBalancerName')}] spans "
            f"{len(zones(resource))} Availability Zone(s)")
