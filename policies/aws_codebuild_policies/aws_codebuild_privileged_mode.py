"""CodeBuild project environments must not run in privileged mode (FSBP CodeBuild.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return not (resource.get("Environment") or {}).get("PrivilegedMode")


def title(resource: Any) -> str:
    return f"CodeBuild project [{resource.get('Name')}] runs builds in privileged mode"
