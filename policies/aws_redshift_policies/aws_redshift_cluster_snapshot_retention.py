"""Redshift clusters should keep automated snapshots for at least 7 days (FSBP Redshift.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("AutomatedSnapshotRetentionPeriod") or 0) >= 7


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] keeps automated snapshots for {resource.get('AutomatedSnapshotRetentionPeriod') or 0} days (under 7)"
