"""RDS DB instances should run with a standby in a second Availability Zone (FSBP RDS.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("MultiAZ"))


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] has no Multi-AZ standby"
