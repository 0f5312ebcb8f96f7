"""Customer-managed IAM policies must not allow decryption with every KMS key (FSBP KMS.1)."""

from posture_iam import decrypts_all_keys
from typing import Any


def policy(resource: Any) -> bool:
    return not decrypts_all_keys(resource.get("PolicyDocument"))


def title(resource: Any) -> str:
    return f"IAM policy [{resource.get('PolicyName')}] allows decryption with every KMS key"
