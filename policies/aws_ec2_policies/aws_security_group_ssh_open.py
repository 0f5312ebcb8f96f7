"""Security groups must not allow SSH (TCP 22) from the whole internet (0.0.0.0/0, ::/0)."""

from typing import Any

from panther import is_open_cidr

SSH_PORT = 22
# IpProtocol as DescribeSecurityGroups reports it: "-1" is every protocol and port; TCP may
# appear by name or by number.
ALL_PROTOCOLS = "-1"
TCP = frozenset({"tcp", "6"})


def _reaches_ssh(permission: Any) -> bool:
    protocol = str(permission.get("IpProtocol")).lower()
    if protocol == ALL_PROTOCOLS:
        return True
    if protocol not in TCP:
        return False
    from_port, to_port = permission.get("FromPort"), permission.get("ToPort")
    if from_port is None or to_port is None:
        return False
    return bool(from_port <= SSH_PORT <= to_port)


def open_ssh_sources(resource: Any) -> list[str]:
    """The world-open CIDRs of ingress rules that reach port 22."""
    sources: list[str] = []
    for permission in resource.get("IpPermissions") or []:
        if not _reaches_ssh(permission):
            continue
        cidrs = [r.get("CidrIp") for r in permission.get("IpRanges") or []]
        cidrs += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges") or []]
        sources += [c for c in cidrs if is_open_cidr(c) and c not in sources]
    return sources


def policy(resource: Any) -> bool:
    return not open_ssh_sources(resource)


def title(resource: Any) -> str:
    return (f"Security group [{resource.get('GroupName')} ({resource.get('GroupId')})] allows SSH "
            f"from {', '.join(open_ssh_sources(resource))}")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"groupId": resource.get("GroupId"), "vpcId": resource.get("VpcId"),
            "region": resource.get("Region"), "openSources": open_ssh_sources(resource)}
