"""Every access point of an EFS file system must enforce a POSIX user identity (FSBP EFS.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all(point.get("PosixUser") is not None for point in resource.get("AccessPoints") or [])


def title(resource: Any) -> str:
    return f"An access point of EFS file system [{resource.get('FileSystemId')}] does not enforce a user identity"
