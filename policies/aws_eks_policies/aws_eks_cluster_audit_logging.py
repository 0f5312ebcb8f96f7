"""EKS clusters must send the Kubernetes audit log to CloudWatch Logs (FSBP EKS.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    logging = (resource.get("Logging") or {}).get("ClusterLogging") or []
    return any(setup.get("Enabled") is True and "audit" in (setup.get("Types") or [])
               for setup in logging)


def title(resource: Any) -> str:
    return f"EKS cluster [{resource.get('Name')}] does not log Kubernetes audit events"
