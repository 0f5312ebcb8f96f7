"""S3 buckets must have server access logging enabled (FSBP S3.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool((resource.get("LoggingPolicy") or {}).get("TargetBucket"))


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] has server access logging disabled"
