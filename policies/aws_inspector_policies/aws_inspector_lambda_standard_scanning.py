"""Amazon Inspector Lambda standard scanning must be enabled in every region (Inspector.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    state = (resource.get("ResourceState") or {}).get("Lambda") or {}
    return state.get("Status") == "ENABLED"


def title(resource: Any) -> str:
    return f"Amazon Inspector Lambda standard scanning is not enabled in [{resource.get('Region')}]"
