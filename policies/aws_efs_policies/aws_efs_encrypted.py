"""EFS file systems must encrypt data at rest with a KMS key (CIS 2.4.1, FSBP EFS.1 and EFS.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("Encrypted") is True


def title(resource: Any) -> str:
    return f"EFS file system [{resource.get('FileSystemId')}] is not encrypted at rest"
