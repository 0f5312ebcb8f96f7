"""EMR cluster primary nodes must not have public IP addresses (FSBP EMR.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return not any(i.get("PublicIpAddress") for i in resource.get("MasterInstances") or [])


def title(resource: Any) -> str:
    return f"EMR cluster [{resource.get('Name')}] has a primary node with a public IP address"
