"""Redshift clusters must not keep the default admin user name awsuser (FSBP Redshift.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("MasterUsername") or "").lower() != "awsuser"


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] uses the default administrator user name awsuser"
