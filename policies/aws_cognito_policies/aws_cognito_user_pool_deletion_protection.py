"""Cognito user pools must have deletion protection turned on (Cognito.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("DeletionProtection") == "ACTIVE"


def title(resource: Any) -> str:
    return f"Cognito user pool [{resource.get('Name')}] in [{resource.get('Region')}] has no deletion protection"
