"""GuardDuty detectors should be enabled, not suspended (FSBP GuardDuty.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("Status") == "ENABLED"


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] is suspended"
