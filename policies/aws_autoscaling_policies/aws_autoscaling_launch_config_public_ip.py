"""Launch configurations of Auto Scaling groups must not assign public IP addresses (FSBP AutoScaling.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    config = resource.get("LaunchConfiguration")
    return config is None or config.get("AssociatePublicIpAddress") is not True


def title(resource: Any) -> str:
    return f"Auto Scaling group [{resource.get('AutoScalingGroupName')}] launches instances with public IP addresses"
