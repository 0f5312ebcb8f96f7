"""EC2 instances must not have a public IPv4 address (FSBP EC2.9)."""

from typing import Any


def public_addresses(resource: Any) -> list[str]:
    """The instance's public IPv4 addresses: the primary one and any on its interfaces."""
    found = [resource.get("PublicIpAddress")]
    for interface in resource.get("NetworkInterfaces") or []:
        found.append((interface.get("Association") or {}).get("PublicIp"))
        for private in interface.get("PrivateIpAddresses") or []:
            found.append((private.get("Association") or {}).get("PublicIp"))
    return sorted({address for address in found if address})


def policy(resource: Any) -> bool:
    return not public_addresses(resource)


def title(resource: Any) -> str:
    return (f"EC2 instance [{resource.get('InstanceId')}] has public IPv4 address "
            f"{', '.join(public_addresses(resource))}")
