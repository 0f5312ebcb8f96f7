"""IAM users must get permissions only through groups: no inline or attached policies (CIS 1.15)."""

from typing import Any


def direct_policies(resource: Any) -> list[str]:
    # Both are null when empty, as the scanner emits them.
    inline = [f"inline:{name}" for name in sorted(resource.get("InlinePolicies") or {})]
    return inline + [f"managed:{name}" for name in resource.get("ManagedPolicyNames") or []]


def policy(resource: Any) -> bool:
    return not direct_policies(resource)


def title(resource: Any) -> str:
    count = len(direct_policies(resource))
    return (f"IAM user [{resource.get('UserName')}] has {count} "
            f"polic{'y' if count == 1 else 'ies'} attached directly")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("UserName"), "directPolicies": direct_policies(resource),
            "groups": [g.get("GroupName") for g in resource.get("Groups") or []]}
