"""EC2 instances should use a single network interface (FSBP EC2.17)."""

from typing import Any


def interface_ids(resource: Any) -> list[str]:
    return [str(interface.get("NetworkInterfaceId"))
            for interface in resource.get("NetworkInterfaces") or []]


def policy(resource: Any) -> bool:
    return len(interface_ids(resource)) <= 1


def title(resource: Any) -> str:
    return (f"EC2 instance [{resource.get('InstanceId')}] has {len(interface_ids(resource))} "
            f"network interfaces ({', '.join(interface_ids(resource))})")
