"""GuardDuty detectors should have RDS Protection on (FSBP GuardDuty.9)."""

from posture_guardduty import feature_enabled
from typing import Any


def policy(resource: Any) -> bool:
    return feature_enabled(resource, "RDS_LOGIN_EVENTS")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not have RDS Protection on"
