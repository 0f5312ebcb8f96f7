"""GuardDuty detectors should have Lambda Protection on (FSBP GuardDuty.6)."""

from posture_guardduty import feature_enabled
from typing import Any


def policy(resource: Any) -> bool:
    return feature_enabled(resource, "LAMBDA_NETWORK_LOGS")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not have Lambda Protection on"
