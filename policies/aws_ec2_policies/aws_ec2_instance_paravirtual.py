"""EC2 instances must not use the paravirtual virtualization type (FSBP EC2.24)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("VirtualizationType") != "paravirtual"


def title(resource: Any) -> str:
    return f"EC2 instance [{resource.get('InstanceId')}] uses paravirtual virtualization"
