"""KMS key policies must not grant any principal access without a narrowing condition (FSBP KMS.5)."""

from posture_resource_policy import public_statements
from typing import Any


def policy(resource: Any) -> bool:
    return not public_statements(resource.get("Policy"))


def title(resource: Any) -> str:
    return f"KMS key [{resource.get('KeyId')}] has a key policy open to any principal"
