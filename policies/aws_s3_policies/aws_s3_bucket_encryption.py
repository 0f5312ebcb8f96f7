"""S3 buckets must encrypt new objects by default (SSE-S3, SSE-KMS or DSSE-KMS)."""

from typing import Any

# What GetBucketEncryption reports in ApplyServerSideEncryptionByDefault.SSEAlgorithm.
ENCRYPTING_ALGORITHMS = frozenset({"AES256", "aws:kms", "aws:kms:dsse"})


def policy(resource: Any) -> bool:
    # EncryptionRules is null when the bucket has no default encryption configuration.
    for rule in resource.get("EncryptionRules") or []:
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if default.get("SSEAlgorithm") in ENCRYPTING_ALGORITHMS:
            return True
    return False


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] has no default encryption"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"bucket": resource.get("Name"), "region": resource.get("Region"),
            "encryptionRules": resource.get("EncryptionRules")}
