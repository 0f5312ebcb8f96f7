"""Launch configurations of Auto Scaling groups must require IMDSv2 (FSBP AutoScaling.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    config = resource.get("LaunchConfiguration")
    if config is None:
        return True  # launches from a launch template (AWS.EC2.LaunchTemplate.IMDSv2Required)
    options = config.get("MetadataOptions") or {}
    return options.get("HttpTokens") == "required" or options.get("HttpEndpoint") == "disabled"


def title(resource: Any) -> str:
    return f"Auto Scaling group [{resource.get('AutoScalingGroupName')}] launches instances that accept IMDSv1"
