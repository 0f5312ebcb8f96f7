"""Auto Scaling groups must launch from EC2 launch templates (FSBP AutoScaling.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    mixed = resource.get("MixedInstancesPolicy") or {}
    return resource.get("LaunchTemplate") is not None or mixed.get("LaunchTemplate") is not None


def title(resource: Any) -> str:
    return f"Auto Scaling group [{resource.get('AutoScalingGroupName')}] launches from a legacy launch configuration"
