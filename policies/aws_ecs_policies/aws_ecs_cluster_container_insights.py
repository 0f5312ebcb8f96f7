"""ECS clusters must have Container Insights turned on (FSBP ECS.12)."""

from typing import Any

ON = ("enabled", "enhanced")


def policy(resource: Any) -> bool:
    return any(setting.get("Name") == "containerInsights" and setting.get("Value") in ON
               for setting in resource.get("Settings") or [])


def title(resource: Any) -> str:
    return f"ECS cluster [{resource.get('ClusterName')}] does not use Container Insights"
