"""EMR clusters must run with a security configuration that encrypts data at rest (FSBP EMR.3, judged on the cluster)."""

from typing import Any


import json


def encryption(resource: Any) -> dict:
    """The EncryptionConfiguration of the cluster's security configuration; {} when it has none."""
    detail = resource.get("SecurityConfigurationDetail")
    if not detail:
        return {}
    try:
        return json.loads(detail).get("EncryptionConfiguration") or {}
    except ValueError:
        return {}


def policy(resource: Any) -> bool:
    return encryption(resource).get("EnableAtRestEncryption") is True


def title(resource: Any) -> str:
    return f"EMR cluster [{resource.get('Name')}] does not encrypt data at rest"
