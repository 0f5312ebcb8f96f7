"""RDS instances must not be publicly accessible (CIS 2.3.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("PubliclyAccessible") is not True


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] is publicly accessible"


def alert_context(resource: Any) -> dict[str, Any]:
    endpoint = resource.get("Endpoint") or {}
    return {"instance": resource.get("DBInstanceIdentifier"), "address": endpoint.get("Address"),
            "securityGroups": [g.get("VpcSecurityGroupId")
                               for g in resource.get("VpcSecurityGroups") or []]}
