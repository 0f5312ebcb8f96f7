"""IAM roles must not have inline policies that decrypt with every KMS key (FSBP KMS.2)."""

from posture_iam import inline_decrypting_all_keys
from typing import Any


def policy(resource: Any) -> bool:
    return not inline_decrypting_all_keys(resource)


def title(resource: Any) -> str:
    return f"IAM role [{resource.get('RoleName')}] has inline policies {', '.join(inline_decrypting_all_keys(resource))} allowing decryption with every KMS key"
