"""DynamoDB tables must have point-in-time recovery (continuous backups) enabled (FSBP DynamoDB.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    backups = resource.get("ContinuousBackupsDescription") or {}
    recovery = backups.get("PointInTimeRecoveryDescription") or {}
    return recovery.get("PointInTimeRecoveryStatus") == "ENABLED"


def title(resource: Any) -> str:
    return f"DynamoDB table [{resource.get('TableName')}] has point-in-time recovery disabled"
