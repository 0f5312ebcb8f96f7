"""GuardDuty detectors should have Runtime Monitoring on (FSBP GuardDuty.11)."""

from posture_guardduty import feature_enabled
from typing import Any


def policy(resource: Any) -> bool:
    return feature_enabled(resource, "RUNTIME_MONITORING")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not have Runtime Monitoring on"
