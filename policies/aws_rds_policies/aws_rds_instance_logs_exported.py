"""RDS DB instances should publish their engine logs to CloudWatch Logs (FSBP RDS.9)."""

from typing import Any

# The logs FSBP RDS.9 expects each engine family to export.
REQUIRED_LOGS = {
    "postgres": {"postgresql"},
    "mysql": {"audit", "error", "general", "slowquery"},
    "mariadb": {"audit", "error", "general", "slowquery"},
    "oracle": {"alert", "audit", "trace", "listener"},
    "sqlserver": {"error", "agent"},
}


def missing_logs(resource: Any) -> set[str]:
    engine = str(resource.get("Engine") or "")
    family = next((f for f in REQUIRED_LOGS if engine.startswith(f)), None)
    if family is None:
        return set()
    return REQUIRED_LOGS[family] - set(resource.get("EnabledCloudwatchLogsExports") or [])


def policy(resource: Any) -> bool:
    # Aurora members export through their cluster (RDS.34 and the cluster policies).
    if resource.get("DBClusterIdentifier"):
        return True
    return not missing_logs(resource)


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] does not export its {', '.join(sorted(missing_logs(resource)))} logs to CloudWatch Logs"
