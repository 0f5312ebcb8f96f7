"""EMR clusters must run with a security configuration that encrypts data in transit (FSBP EMR.4, judged on the cluster)."""

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
    return encryption(resource).get("EnableInTransitEncryption") is True


def title(resource: Any) -> str:
    return f"EMR cluster [{resource.get('Name')}] does not encrypt data in transit"
