"""CodeBuild projects must send build logs to CloudWatch Logs or S3 (FSBP CodeBuild.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    logs = resource.get("LogsConfig") or {}
    return any((logs.get(kind) or {}).get("Status") == "ENABLED" for kind in ("CloudWatchLogs", "S3Logs"))


def title(resource: Any) -> str:
    return f"CodeBuild project [{resource.get('Name')}] keeps no build logs"
