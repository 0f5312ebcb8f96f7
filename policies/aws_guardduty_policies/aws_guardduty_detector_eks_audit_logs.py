"""GuardDuty detectors should have EKS Audit Log Monitoring on (FSBP GuardDuty.5)."""

from posture_guardduty import feature_enabled
from typing import Any


def policy(resource: Any) -> bool:
    return feature_enabled(resource, "EKS_AUDIT_LOGS")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not have EKS Audit Log Monitoring on"
