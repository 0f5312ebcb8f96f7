"""RDS clusters must encrypt their storage at rest (FSBP RDS.27)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("StorageEncrypted") is True


def title(resource: Any) -> str:
    return f"RDS cluster [{resource.get('DBClusterIdentifier')}] is not encrypted at rest"
