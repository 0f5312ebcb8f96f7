"""Security groups may open only authorized ports (TCP 80, 443) to the internet (FSBP EC2.18)."""

from typing import Any

from posture_network import world_open_outside

AUTHORIZED = {"tcp": (80, 443)}


def unauthorized(resource: Any) -> list[str]:
    """World-open rules outside the authorized ports, as "tcp 22-22 from 0.0.0.0/0"."""
    return [f"{rule['protocol']} {rule['fromPort']}-{rule['toPort']} from {', '.join(rule['sources'])}"
            for rule in world_open_outside(resource, AUTHORIZED)]


def policy(resource: Any) -> bool:
    return not unauthorized(resource)


def title(resource: Any) -> str:
    return (f"Security group [{resource.get('GroupName')} ({resource.get('GroupId')})] allows internet "
            f"ingress beyond ports 80/443: {'; '.join(unauthorized(resource))}")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"groupId": resource.get("GroupId"), "vpcId": resource.get("VpcId"),
            "region": resource.get("Region"), "rules": unauthorized(resource)}
