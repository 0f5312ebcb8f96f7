"""Secrets Manager secrets must have automatic rotation turned on (SecretsManager.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    # Secrets that another AWS service manages (OwningService) are rotated by that service.
    if resource.get("OwningService"):
        return True
    return resource.get("RotationEnabled") is True


def title(resource: Any) -> str:
    return f"Secret [{resource.get('Name')}] in [{resource.get('Region')}] is not rotated automatically"
