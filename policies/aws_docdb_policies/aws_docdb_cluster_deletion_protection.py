"""DocumentDB clusters must have deletion protection on (FSBP DocumentDB.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("DeletionProtection") is True


def title(resource: Any) -> str:
    return f"DocumentDB cluster [{resource.get('DBClusterIdentifier')}] can be deleted without first turning off deletion protection"
