"""RDS DB instances should have Enhanced Monitoring turned on (FSBP RDS.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("MonitoringInterval") or 0) > 0


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] has Enhanced Monitoring turned off"
