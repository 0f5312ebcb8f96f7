"""Auto Scaling groups must span more than one Availability Zone (FSBP AutoScaling.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return len(set(resource.get("AvailabilityZones") or [])) > 1


def title(resource: Any) -> str:
    return f"Auto Scaling group [{resource.get('AutoScalingGroupName')}] launches into a single Availability Zone"
