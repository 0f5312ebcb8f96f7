"""GuardDuty detectors should run EKS Runtime Monitoring with automated agent management (FSBP GuardDuty.7)."""

from posture_guardduty import runtime_agent_managed
from typing import Any


def policy(resource: Any) -> bool:
    return runtime_agent_managed(resource, "EKS_ADDON_MANAGEMENT", ("RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"))


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not run EKS Runtime Monitoring with automated agent management"
