"""Redshift clusters must not be publicly accessible (FSBP Redshift.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("PubliclyAccessible") is not True


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] is publicly accessible"
