"""SQS queues must encrypt messages at rest, with SQS-owned keys (SSE-SQS) or a KMS key (SQS.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("KmsMasterKeyId")) or resource.get("SqsManagedSseEnabled") == "true"


def title(resource: Any) -> str:
    return f"SQS queue [{resource.get('Name')}] in [{resource.get('Region')}] is not encrypted at rest"
