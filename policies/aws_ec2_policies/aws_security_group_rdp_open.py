"""Security groups must not allow RDP (TCP 3389) from the whole internet (CIS 5.2, 5.3)."""

from typing import Any

from posture_network import world_open_ports

RDP_PORT = 3389


def policy(resource: Any) -> bool:
    return not world_open_ports(resource, [RDP_PORT])


def title(resource: Any) -> str:
    rules = world_open_ports(resource, [RDP_PORT])
    sources = sorted({source for rule in rules for source in rule["sources"]})
    return (f"Security group [{resource.get('GroupName')} ({resource.get('GroupId')})] allows "
            f"RDP from {', '.join(sources)}")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"groupId": resource.get("GroupId"), "vpcId": resource.get("VpcId"),
            "region": resource.get("Region"), "openRules": world_open_ports(resource, [RDP_PORT])}
