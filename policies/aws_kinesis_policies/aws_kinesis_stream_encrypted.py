"""Kinesis data streams must use server-side encryption with KMS (Kinesis.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("EncryptionType") == "KMS"


def title(resource: Any) -> str:
    return f"Kinesis stream [{resource.get('Name')}] in [{resource.get('Region')}] is not encrypted at rest"
