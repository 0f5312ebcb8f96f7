"""Aurora MySQL clusters must publish their audit logs to CloudWatch Logs (FSBP RDS.34)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Engine") != "aurora-mysql":
        return True  # an Aurora MySQL control
    return "audit" in (resource.get("EnabledCloudwatchLogsExports") or [])


def title(resource: Any) -> str:
    return f"Aurora MySQL cluster [{resource.get('DBClusterIdentifier')}] does not publish audit logs to CloudWatch Logs"
