"""Neptune clusters must publish their audit logs to CloudWatch Logs (FSBP Neptune.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return "audit" in (resource.get("EnabledCloudwatchLogsExports") or [])


def title(resource: Any) -> str:
    return f"Neptune cluster [{resource.get('DBClusterIdentifier')}] does not publish audit logs to CloudWatch Logs"
