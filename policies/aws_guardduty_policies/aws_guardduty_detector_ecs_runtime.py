"""GuardDuty detectors should run Runtime Monitoring with automated agent management for ECS on Fargate (FSBP GuardDuty.12)."""

from posture_guardduty import runtime_agent_managed
from typing import Any


def policy(resource: Any) -> bool:
    return runtime_agent_managed(resource, "ECS_FARGATE_AGENT_MANAGEMENT")


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not run ECS Runtime Monitoring (Fargate agent management)"
