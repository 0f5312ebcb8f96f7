"""Neptune clusters must have instances in more than one Availability Zone (FSBP Neptune.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("MultiAZ") is True


def title(resource: Any) -> str:
    return f"Neptune cluster [{resource.get('DBClusterIdentifier')}] has no instance in a second Availability Zone"
