"""Every VPC's default security group must allow no inbound and no outbound traffic (CIS 5.4)."""

from typing import Any

DEFAULT_GROUP = "default"


def rule_counts(resource: Any) -> tuple[int, int]:
    return len(resource.get("IpPermissions") or []), len(resource.get("IpPermissionsEgress") or [])


def policy(resource: Any) -> bool:
    # Only VPC default groups are in scope; every VPC has exactly one, named "default".
    if resource.get("GroupName") != DEFAULT_GROUP:
        return True
    return rule_counts(resource) == (0, 0)


def title(resource: Any) -> str:
    inbound, outbound = rule_counts(resource)
    return (f"Default security group [{resource.get('GroupId')}] of [{resource.get('VpcId')}] has "
            f"{inbound} inbound and {outbound} outbound rule(s)")
