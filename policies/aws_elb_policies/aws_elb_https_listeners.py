"""Classic Load Balancer listeners must terminate HTTPS or TLS (FSBP ELB.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all(((d.get("Listener") or {}).get("Protocol") or "").upper() in ("HTTPS", "SSL") for d in resource.get("ListenerDescriptions") or [])


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] accepts unencrypted traffic"
