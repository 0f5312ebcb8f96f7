"""RDS instances must apply minor engine upgrades automatically (CIS 2.3.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("AutoMinorVersionUpgrade") is True


def title(resource: Any) -> str:
    return (f"RDS instance [{resource.get('DBInstanceIdentifier')}] does not apply minor "
            "version upgrades automatically")
