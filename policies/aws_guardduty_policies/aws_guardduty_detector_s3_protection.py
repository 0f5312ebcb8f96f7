"""GuardDuty detectors should have S3 Protection on (FSBP GuardDuty.10)."""

from posture_guardduty import feature_enabled
from typing import Any


def policy(resource: Any) -> bool:
    return feature_enabled(resource, "S3_DATA_EVENTS")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not have S3 Protection on"
