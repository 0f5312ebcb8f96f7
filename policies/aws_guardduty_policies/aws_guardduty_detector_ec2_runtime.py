"""GuardDuty detectors should run Runtime Monitoring with automated agent management for EC2 (FSBP GuardDuty.13)."""

from posture_guardduty import runtime_agent_managed
from typing import Any


def policy(resource: Any) -> bool:
    return runtime_agent_managed(resource, "EC2_AGENT_MANAGEMENT")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not run EC2 Runtime Monitoring (EC2 agent management)"
