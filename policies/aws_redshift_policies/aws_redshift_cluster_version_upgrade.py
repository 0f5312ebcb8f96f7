"""Redshift clusters should accept automatic major version upgrades (FSBP Redshift.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("AllowVersionUpgrade") is True


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] does not accept automatic major version upgrades"
