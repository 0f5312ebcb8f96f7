"""Every access point of an EFS file system must enforce a root directory other than "/" (FSBP EFS.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    for point in resource.get("AccessPoints") or []:
        if ((point.get("RootDirectory") or {}).get("Path") or "/") == "/":
            return False
    return True


def title(resource: Any) -> str:
    return f"An access point of EFS file system [{resource.get('FileSystemId')}] exposes its root directory"
