"""Redshift clusters should route COPY and UNLOAD traffic through the VPC (FSBP Redshift.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("EnhancedVpcRouting") is True


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] does not use enhanced VPC routing"
