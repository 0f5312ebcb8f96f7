"""Redshift clusters must not keep the default database name dev (FSBP Redshift.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("DBName") or "").lower() != "dev"


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] uses the default database name dev"
