"""DynamoDB tables must have deletion protection enabled (FSBP DynamoDB.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("DeletionProtectionEnabled") is True


def title(resource: Any) -> str:
    return f"DynamoDB table [{resource.get('TableName')}] can be deleted without removing protection first"
