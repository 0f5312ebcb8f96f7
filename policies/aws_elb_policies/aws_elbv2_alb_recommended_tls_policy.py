"""Application Load Balancer HTTPS listeners must use a recommended TLS policy (FSBP ELB.17).

Recommended: the TLS 1.3 policy families with a TLS 1.2 or 1.3 minimum, FIPS variants included.
"""

from typing import Any

RECOMMENDED_PREFIXES = ("ELBSecurityPolicy-TLS13-1-2-", "ELBSecurityPolicy-TLS13-1-3-")


def outdated_listeners(resource: Any) -> list[str]:
    """"PORT (POLICY)" for each HTTPS listener whose SSL policy is not recommended."""
    return [f"{listener.get('Port')} ({listener.get('SslPolicy')})"
            for listener in resource.get("Listeners") or []
            if listener.get("Protocol") == "HTTPS"
            and not str(listener.get("SslPolicy") or "").startswith(RECOMMENDED_PREFIXES)]


def policy(resource: Any) -> bool:
    return not outdated_listeners(resource)


def title(resource: Any) -> str:
    return (f"Application Load Balancer [{resource.get('LoadBalancerName')}] HTTPS listener uses an "
            f"outdated TLS policy: {', '.join(outdated_listeners(resource))}")
