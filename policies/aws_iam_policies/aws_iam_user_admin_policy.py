"""IAM users must not hold full administrator rights (Action "*" on Resource "*") — effectively:
through an inline policy, an attached managed policy (AWS's AdministratorAccess, or a
customer-managed policy whose default version allows everything), or a group's policies.

Customer-managed policies and groups are not part of the user resource: they are read from
Posture's inventory with resource_lookup. One that is not there (not scanned yet, or its scope
could not be read) makes the verdict an ERROR, never a pass.
"""

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from panther import listify
from panther_aws_helpers import BadLookup, resource_lookup

ADMIN_MANAGED_POLICIES = frozenset({"AdministratorAccess"})


def _document(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value
    text = str(value).strip()
    if not text.startswith("{"):
        text = unquote(text)  # IAM hands documents out URL-encoded
    return json.loads(text)


def allows_everything(document: Any) -> bool:
    if not document:
        return False
    for statement in listify(_document(document).get("Statement")):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        if "*" in listify(statement.get("Action")) and "*" in listify(statement.get("Resource")):
            return True
    return False


def _aws_managed(arn: str) -> bool:
    return ":iam::aws:policy/" in arn


def _stored(arn: str) -> Any:
    try:
        return resource_lookup(arn)
    except BadLookup:
        raise RuntimeError(f"cannot judge: {arn} is not in the inventory (not scanned yet, "
                           "or its scan could not read it)") from None


def _policy_grants(holder: Any, prefix: str) -> list[str]:
    """Admin grants of a user's or group's own policies: inline, AWS-managed, customer-managed."""
    inline = holder.get("InlinePolicies") or {}
    grants = [f"{prefix}inline:{name}" for name in sorted(inline)
              if allows_everything(inline[name])]
    arns = list(holder.get("ManagedPolicyARNs") or [])
    names = {arn.rsplit("/", 1)[-1] for arn in arns}
    # Resources stored before ManagedPolicyARNs was recorded carry names only.
    for name in holder.get("ManagedPolicyNames") or []:
        if name in ADMIN_MANAGED_POLICIES and name not in names:
            grants.append(f"{prefix}managed:{name}")
    for arn in arns:
        name = arn.rsplit("/", 1)[-1]
        if _aws_managed(arn):
            if name in ADMIN_MANAGED_POLICIES:
                grants.append(f"{prefix}managed:{name}")
        elif allows_everything(_stored(arn).get("PolicyDocument")):
            grants.append(f"{prefix}managed:{name}")
    return grants


def admin_grants(resource: Any) -> list[str]:
    """Where the user gets Action * on Resource *, e.g. 'inline:NAME', 'managed:NAME',
    'group:NAME/managed:NAME'."""
    grants = _policy_grants(resource, "")
    for group in resource.get("Groups") or []:
        arn = group.get("Arn")
        if arn:
            grants += _policy_grants(_stored(arn), f"group:{group.get('GroupName') or arn}/")
    return grants


def policy(resource: Any) -> bool:
    return not admin_grants(resource)


def title(resource: Any) -> str:
    user = resource.get("Name") or resource.get("ResourceId")
    return f"IAM user [{user}] has full administrator access ({', '.join(admin_grants(resource))})"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("Name"), "adminGrants": admin_grants(resource),
            "groups": resource.get("Groups")}
