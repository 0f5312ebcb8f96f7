"""Customer-managed IAM policies should not allow every action of a service ("svc:*") (FSBP IAM.21)."""

from posture_iam import service_wildcard_actions
from typing import Any


def policy(resource: Any) -> bool:
    return not service_wildcard_actions(resource.get("PolicyDocument"))


def title(resource: Any) -> str:
    return f"IAM policy [{resource.get('PolicyName')}] allows every action of {', '.join(sorted(set(service_wildcard_actions(resource.get('PolicyDocument')))))}"
