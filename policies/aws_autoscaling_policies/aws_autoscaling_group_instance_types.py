"""Auto Scaling groups must use several instance types across several Availability Zones (FSBP AutoScaling.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    mixed = resource.get("MixedInstancesPolicy") or {}
    overrides = (mixed.get("LaunchTemplate") or {}).get("Overrides") or []
    types = {o.get("InstanceType") for o in overrides if o.get("InstanceType")}
    return (len(types) > 1 or any(o.get("InstanceRequirements") for o in overrides)) and len(set(resource.get("AvailabilityZones") or [])) > 1


def title(resource: Any) -> str:
    return f"Auto Scaling group [{resource.get('AutoScalingGroupName')}] depends on one instance type"
