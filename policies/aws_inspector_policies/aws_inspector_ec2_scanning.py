"""Amazon Inspector EC2 scanning must be enabled in every region (Inspector.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    state = (resource.get("ResourceState") or {}).get("Ec2") or {}
    return state.get("Status") == "ENABLED"


def title(resource: Any) -> str:
    return f"Amazon Inspector EC2 scanning is not enabled in [{resource.get('Region')}]"
