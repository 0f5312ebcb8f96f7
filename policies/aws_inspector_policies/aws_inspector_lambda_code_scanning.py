"""Amazon Inspector Lambda code scanning must be enabled in every region (Inspector.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    state = (resource.get("ResourceState") or {}).get("LambdaCode") or {}
    return state.get("Status") == "ENABLED"


def title(resource: Any) -> str:
    return f"Amazon Inspector Lambda code scanning is not enabled in [{resource.get('Region')}]"
