"""Security groups must not allow every port (all traffic, or TCP/UDP 0-65535) from the internet.

Such a rule opens every remote administration port at once (CIS 5.2, 5.3) and everything else.
"""

from typing import Any

from posture_network import world_open_ranges


def policy(resource: Any) -> bool:
    return not world_open_ranges(resource)


def title(resource: Any) -> str:
    sources = sorted({s for rule in world_open_ranges(resource) for s in rule["sources"]})
    return (f"Security group [{resource.get('GroupName')} ({resource.get('GroupId')})] allows all "
            f"ports from {', '.join(sources)}")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"groupId": resource.get("GroupId"), "vpcId": resource.get("VpcId"),
            "region": resource.get("Region"), "openRules": world_open_ranges(resource)}
