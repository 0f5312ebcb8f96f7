"""S3 buckets must have at least one enabled lifecycle rule (FSBP S3.13)."""

from typing import Any


def policy(resource: Any) -> bool:
    return any(rule.get("Status") == "Enabled" for rule in resource.get("LifecycleRules") or [])


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] has no enabled lifecycle rule"
