"""S3 buckets must be versioned with MFA Delete enabled (CIS 2.1.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    # MFA Delete exists only on versioned buckets; both are null when never configured.
    return bool(resource.get("Versioning") == "Enabled" and resource.get("MFADelete") == "Enabled")


def title(resource: Any) -> str:
    if resource.get("Versioning") != "Enabled":
        return f"S3 bucket [{resource.get('Name')}] is not versioned, so MFA Delete is off"
    return f"S3 bucket [{resource.get('Name')}] does not have MFA Delete enabled"
