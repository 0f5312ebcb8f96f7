"""RDS DB instances should have deletion protection on (FSBP RDS.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("DeletionProtection") is True


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] can be deleted without first turning off deletion protection"
