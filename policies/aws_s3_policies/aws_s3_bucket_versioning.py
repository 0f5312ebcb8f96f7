"""S3 buckets must have versioning enabled (FSBP S3.14); a suspended bucket fails."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("Versioning") == "Enabled"


def title(resource: Any) -> str:
    state = resource.get("Versioning") or "never enabled"
    return f"S3 bucket [{resource.get('Name')}] versioning is {str(state).lower()}"
