"""Helpers for security-group policies: which ingress rules reach a port from the internet.

Importable by policies as `posture_network` (a global, like a Panther pack's aws_globals).
Rules are read in the shape DescribeSecurityGroups returns and the scanner emits: IpProtocol
"-1" means every protocol and port (FromPort/ToPort null); TCP and UDP may be named or numbered.
"""

from collections.abc import Iterable
from typing import Any

from panther import is_open_cidr

ALL_PROTOCOLS = "-1"
PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17"}
ALL_PORTS = (0, 65535)


def _protocol(permission: Any) -> str:
    name = str(permission.get("IpProtocol")).lower()
    return {number: named for named, number in PROTOCOL_NUMBERS.items()}.get(name, name)


def port_range(permission: Any, protocols: Iterable[str] = ("tcp",)) -> tuple[int, int] | None:
    """The (from, to) ports a rule opens for the given protocols; None when it opens none."""
    protocol = _protocol(permission)
    if protocol == ALL_PROTOCOLS:
        return ALL_PORTS
    if protocol not in protocols:
        return None
    from_port, to_port = permission.get("FromPort"), permission.get("ToPort")
    if from_port is None or to_port is None:
        return None
    return int(from_port), int(to_port)


def world_sources(permission: Any) -> list[str]:
    """The rule's IPv4 and IPv6 ranges that are the whole internet (0.0.0.0/0, ::/0)."""
    cidrs = [r.get("CidrIp") for r in permission.get("IpRanges") or []]
    cidrs += [r.get("CidrIpv6") for r in permission.get("Ipv6Ranges") or []]
    return [c for c in cidrs if is_open_cidr(c)]


def world_open_ports(resource: Any, ports: Iterable[int],
                     protocols: Iterable[str] = ("tcp",)) -> list[dict[str, Any]]:
    """Ingress rules open to the internet on any of `ports`: [{port, protocol, sources}]."""
    wanted = sorted(set(ports))
    found: list[dict[str, Any]] = []
    for permission in resource.get("IpPermissions") or []:
        opened = port_range(permission, tuple(protocols))
        sources = world_sources(permission) if opened else []
        if not opened or not sources:
            continue
        for port in wanted:
            if opened[0] <= port <= opened[1]:
                found.append({"port": port, "protocol": str(permission.get("IpProtocol")),
                              "sources": sources})
    return found


def world_open_ranges(resource: Any, protocols: Iterable[str] = ("tcp", "udp"),
                      min_ports: int = ALL_PORTS[1] + 1) -> list[dict[str, Any]]:
    """Ingress rules open to the internet on at least `min_ports` ports (all, by default)."""
    found: list[dict[str, Any]] = []
    for permission in resource.get("IpPermissions") or []:
        opened = port_range(permission, tuple(protocols))
        sources = world_sources(permission) if opened else []
        if opened and sources and opened[1] - opened[0] + 1 >= min_ports:
            found.append({"fromPort": opened[0], "toPort": opened[1],
                          "protocol": str(permission.get("IpProtocol")), "sources": sources})
    return found


def world_open_outside(resource: Any, allowed: dict[str, Iterable[int]]) -> list[dict[str, Any]]:
    """Ingress rules open to the internet on a TCP/UDP port outside `allowed` ({"tcp": [80]}).

    Every-protocol rules ("-1") always count; ICMP and other port-less protocols do not.
    """
    found: list[dict[str, Any]] = []
    for permission in resource.get("IpPermissions") or []:
        protocol = _protocol(permission)
        checked = ("tcp", "udp") if protocol == ALL_PROTOCOLS else (protocol,)
        for name in checked:
            opened = port_range(permission, (name,))
            sources = world_sources(permission) if opened else []
            if not opened or not sources:
                continue
            permitted = set(allowed.get(name, ()))
            width = opened[1] - opened[0] + 1
            if width > len(permitted) or any(port not in permitted
                                             for port in range(opened[0], opened[1] + 1)):
                found.append({"fromPort": opened[0], "toPort": opened[1], "protocol": name,
                              "sources": sources})
    return found
