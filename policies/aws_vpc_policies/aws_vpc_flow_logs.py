"""VPCs must have an active flow log capturing at least rejected traffic (CIS 3.7)."""

from typing import Any

CAPTURES_REJECTS = frozenset({"ALL", "REJECT"})


def policy(resource: Any) -> bool:
    return any(log.get("FlowLogStatus") == "ACTIVE" and log.get("TrafficType") in CAPTURES_REJECTS
               for log in resource.get("FlowLogs") or [])


def title(resource: Any) -> str:
    return f"VPC [{resource.get('VpcId')}] in [{resource.get('Region')}] has no active flow log"
