"""Redshift provisioned clusters must have a Multi-AZ deployment (FSBP Redshift.18).

DescribeClusters reports MultiAZ as a string ("Enabled" or "Disabled"); null for a cluster that
was never Multi-AZ.
"""

from typing import Any

ENABLED = {"enabled", "true"}


def policy(resource: Any) -> bool:
    return str(resource.get("MultiAZ") or "").lower() in ENABLED


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] runs in a single Availability Zone"
