"""Customer-managed IAM policies allowing "*" on "*" must not be attached (CIS 1.16)."""

import json
from collections.abc import Mapping
from typing import Any

from panther import listify


def allows_everything(document_text: Any) -> bool:
    if not document_text:
        return False
    for statement in listify(json.loads(document_text).get("Statement")):
        if (isinstance(statement, Mapping) and statement.get("Effect") == "Allow"
                and "*" in listify(statement.get("Action"))
                and "*" in listify(statement.get("Resource"))):
            return True
    return False


def attached_to(resource: Any) -> list[str]:
    entities = resource.get("Entities") or {}
    return ([f"group:{e.get('GroupName')}" for e in entities.get("PolicyGroups") or []]
            + [f"role:{e.get('RoleName')}" for e in entities.get("PolicyRoles") or []]
            + [f"user:{e.get('UserName')}" for e in entities.get("PolicyUsers") or []])


def policy(resource: Any) -> bool:
    # An unattached admin policy grants nothing (CIS checks attached ones only).
    attached = bool(resource.get("AttachmentCount"))
    return not (attached and allows_everything(resource.get("PolicyDocument")))


def title(resource: Any) -> str:
    return (f"IAM policy [{resource.get('PolicyName')}] grants full administrator access and "
            f"is attached to {resource.get('AttachmentCount')} principal(s)")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"policyArn": resource.get("Arn"), "attachedTo": attached_to(resource)}
