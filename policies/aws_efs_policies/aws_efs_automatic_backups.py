"""EFS file systems must have automatic backups on (FSBP EFS.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("BackupPolicy") or {}).get("Status") in ("ENABLED", "ENABLING")


def title(resource: Any) -> str:
    return f"EFS file system [{resource.get('FileSystemId')}] has no automatic backups"
