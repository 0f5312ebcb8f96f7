"""S3 buckets must have Object Lock enabled (FSBP S3.15)."""

from typing import Any


def policy(resource: Any) -> bool:
    lock = resource.get("ObjectLockConfiguration") or {}
    return lock.get("ObjectLockEnabled") == "Enabled"


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] does not have Object Lock enabled"
