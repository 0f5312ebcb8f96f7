"""Route 53 public hosted zones must log DNS queries to CloudWatch Logs (FSBP Route53.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    if (resource.get("Config") or {}).get("PrivateZone"):
        return True  # private zones log through Resolver query logging instead
    return bool(resource.get("QueryLoggingConfigs"))


def title(resource: Any) -> str:
    return f"Route 53 public hosted zone [{resource.get('Name')}] does not log DNS queries"
