"""Reading resource-based policies (queue, topic, bucket, secret policies), shared by the
policies that flag public access.

Importable as `posture_resource_policy`. A document is the JSON string AWS returns (the model
keeps it a string); `public_statements` returns the Allow statements that grant any principal
("*", {"AWS": "*"}) without a condition that narrows who can use them to known accounts,
organizations, source resources or VPC endpoints.
"""

import json
from fnmatch import fnmatchcase
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


def _account_of(principal: str) -> str:
    """The account of an AWS principal: a bare account ID or the 5th field of an ARN; "*" stays."""
    if principal.startswith("arn:"):
        parts = principal.split(":")
        return parts[4] if len(parts) > 4 else ""
    return principal


def foreign_principals(statement: dict[str, Any], own_account: str) -> list[str]:
    """The statement's AWS principals outside `own_account` ("*" included); services are ignored."""
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    aws = _as_list(principal.get("AWS")) if isinstance(principal, dict) else []
    return [str(p) for p in aws if _account_of(str(p)) != own_account]


def grants_action(statement: dict[str, Any], action: str) -> bool:
    """Whether the statement's Action (wildcards allowed) or NotAction covers `action`."""
    wanted = action.lower()
    if "NotAction" in statement:
        return not any(fnmatchcase(wanted, str(a).lower()) for a in _as_list(statement["NotAction"]))
    return any(fnmatchcase(wanted, str(a).lower()) for a in _as_list(statement.get("Action")))


def foreign_grants(policy: Any, own_account: str, actions: list[str]) -> list[dict[str, Any]]:
    """[{sid, principals, actions}] for Allow statements granting any of `actions` to principals of
    other accounts (or anyone)."""
    found: list[dict[str, Any]] = []
    for statement in _as_list(_document(policy).get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principals = foreign_principals(statement, own_account)
        granted = [action for action in actions if grants_action(statement, action)]
        if principals and granted:
            found.append({"sid": statement.get("Sid"), "principals": principals, "actions": granted})
    return found
