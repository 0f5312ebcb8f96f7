"""IAM users must not hold full administrator rights (Action "*" on Resource "*")."""

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from panther import listify

# Managed policy documents are not part of the user resource; attaching AWS's administrator
# policy is the signal for managed grants.
ADMIN_MANAGED_POLICIES = frozenset({"AdministratorAccess"})


def _document(value: Any) -> Any:
    if isinstance(value, Mapping):
        return value
    text = str(value).strip()
    if not text.startswith("{"):
        text = unquote(text)  # IAM hands documents out URL-encoded
    return json.loads(text)


def allows_everything(document: Any) -> bool:
    for statement in listify(_document(document).get("Statement")):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        if "*" in listify(statement.get("Action")) and "*" in listify(statement.get("Resource")):
            return True
    return False


def admin_grants(resource: Any) -> list[str]:
    """Where the user gets Action * on Resource *: 'inline:NAME' / 'managed:NAME'."""
    inline = resource.get("InlinePolicies") or {}
    grants = [f"inline:{name}" for name in sorted(inline) if allows_everything(inline[name])]
    grants += [f"managed:{name}" for name in resource.get("ManagedPolicyNames") or []
               if name in ADMIN_MANAGED_POLICIES]
    return grants


def policy(resource: Any) -> bool:
    return not admin_grants(resource)


def title(resource: Any) -> str:
    user = resource.get("Name") or resource.get("ResourceId")
    return f"IAM user [{user}] has full administrator access ({', '.join(admin_grants(resource))})"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("Name"), "adminGrants": admin_grants(resource),
            "groups": resource.get("Groups")}
