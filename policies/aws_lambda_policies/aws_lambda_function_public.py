"""Lambda function policies must not grant any principal access without a narrowing condition (FSBP Lambda.1)."""

from posture_resource_policy import public_statements
from typing import Any


def policy(resource: Any) -> bool:
    return not public_statements((resource.get("Policy") or {}).get("Policy"))


def title(resource: Any) -> str:
    return f"Lambda function [{resource.get('FunctionName')}] has a resource policy open to any principal"
