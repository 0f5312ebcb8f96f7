"""S3 buckets must encrypt new objects with a KMS key by default (FSBP S3.17)."""

from typing import Any

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def policy(resource: Any) -> bool:
    return any((rule.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm") in KMS_ALGORITHMS
               for rule in resource.get("EncryptionRules") or [])


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] does not default to KMS encryption"
