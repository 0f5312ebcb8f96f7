"""SNS topics must be encrypted at rest with an AWS KMS key (FSBP SNS.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("KmsMasterKeyId"))


def title(resource: Any) -> str:
    return f"SNS topic [{resource.get('Name')}] is not encrypted with a KMS key"
