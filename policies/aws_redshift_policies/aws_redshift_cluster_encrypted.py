"""Redshift clusters should be encrypted at rest with KMS (FSBP Redshift.10)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("Encrypted") is True


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] is not encrypted at rest"
