"""Amazon Inspector ECR scanning must be enabled in every region (Inspector.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    state = (resource.get("ResourceState") or {}).get("Ecr") or {}
    return state.get("Status") == "ENABLED"


def title(resource: Any) -> str:
    return f"Amazon Inspector ECR scanning is not enabled in [{resource.get('Region')}]"
