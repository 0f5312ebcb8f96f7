"""Reading resource-based policies (queue, topic, bucket, secret policies), shared by the
policies that flag public access.

Importable as `posture_resource_policy`. A document is the JSON string AWS returns (the model
keeps it a string); `public_statements` returns the Allow statements that grant any principal
("*", {"AWS": "*"}) without a condition that narrows who can use them to known accounts,
organizations, source resources or VPC endpoints.
"""

import json
from typing import Any

# Condition keys that tie an anonymous-looking grant to specific callers.
NARROWING_KEYS = frozenset(
    key.lower()
    for key in (
        "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths",
        "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
        "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:userid", "aws:username",
    )
)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _document(policy: Any) -> dict[str, Any]:
    if isinstance(policy, dict):
        return policy
    if not policy:
        return {}
    try:
        parsed = json.loads(policy)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _any_principal(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return "*" in [str(p) for p in _as_list(principal.get("AWS"))]
    return False


def _narrowed(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    for operator, clauses in condition.items():
        # "...IfExists" operators do not narrow requests that lack the key.
        if not isinstance(clauses, dict) or str(operator).endswith("IfExists"):
            continue
        for key, values in clauses.items():
            if str(key).lower() in NARROWING_KEYS and "*" not in [str(v) for v in _as_list(values)]:
                return True
    return False


def public_statements(policy: Any) -> list[dict[str, Any]]:
    """The Allow statements of `policy` open to any principal without a narrowing condition."""
    found = []
    for statement in _as_list(_document(policy).get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if _any_principal(statement.get("Principal")) and not _narrowed(statement.get("Condition")):
            found.append(statement)
    return found
