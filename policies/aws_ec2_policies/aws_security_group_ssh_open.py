"""Security groups must not allow SSH (TCP 22) from the whole internet (0.0.0.0/0, ::/0)."""

from typing import Any

from posture_network import world_open_ports

SSH_PORT = 22


def open_ssh_sources(resource: Any) -> list[str]:
    """The world-open CIDRs of ingress rules that reach port 22 (TCP, or every protocol)."""
    sources: list[str] = []
    for rule in world_open_ports(resource, [SSH_PORT]):
        sources += [source for source in rule["sources"] if source not in sources]
    return sources


def policy(resource: Any) -> bool:
    return not open_ssh_sources(resource)


def title(resource: Any) -> str:
    return (f"Security group [{resource.get('GroupName')} ({resource.get('GroupId')})] allows SSH "
            f"from {', '.join(open_ssh_sources(resource))}")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"groupId": resource.get("GroupId"), "vpcId": resource.get("VpcId"),
            "region": resource.get("Region"), "openSources": open_ssh_sources(resource)}
