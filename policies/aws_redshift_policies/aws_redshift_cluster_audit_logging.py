"""Redshift clusters should have audit logging on (FSBP Redshift.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("LoggingStatus") or {}).get("LoggingEnabled") is True


def title(resource: Any) -> str:
    return f"Redshift cluster [{resource.get('ClusterIdentifier')}] has audit logging turned off"
