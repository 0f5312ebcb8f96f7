"""RDS instances must encrypt their storage at rest (CIS 2.3.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("StorageEncrypted") is True


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] storage is not encrypted"
