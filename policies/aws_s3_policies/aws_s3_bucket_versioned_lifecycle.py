"""Versioned S3 buckets must have at least one enabled lifecycle rule (FSBP S3.10).

Buckets whose versioning was never enabled are out of scope (S3.13 judges them).
"""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Versioning") not in ("Enabled", "Suspended"):
        return True
    return any(rule.get("Status") == "Enabled" for rule in resource.get("LifecycleRules") or [])


def title(resource: Any) -> str:
    return f"Versioned S3 bucket [{resource.get('Name')}] has no enabled lifecycle rule"
