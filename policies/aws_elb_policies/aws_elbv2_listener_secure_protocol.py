"""Application and Network Load Balancer listeners must encrypt traffic (FSBP ELB.18): every ALB
listener HTTPS, every NLB listener TLS.

As AWS words the control, a plain HTTP listener fails even when all it does is redirect to HTTPS,
and NLB TCP or UDP listeners fail.
"""

from typing import Any

SECURE = {"AWS.ELBV2.ApplicationLoadBalancer": "HTTPS", "AWS.ELBV2.NetworkLoadBalancer": "TLS"}


def insecure_listeners(resource: Any) -> list[str]:
    """"PORT (PROTOCOL)" for each listener not on the load balancer type's secure protocol."""
    secure = SECURE.get(str(resource.get("ResourceType")))
    return [f"{listener.get('Port')} ({listener.get('Protocol')})"
            for listener in resource.get("Listeners") or []
            if listener.get("Protocol") != secure]


def policy(resource: Any) -> bool:
    return not insecure_listeners(resource)


def title(resource: Any) -> str:
    return (f"Load balancer [{resource.get('LoadBalancerName')}] has listener(s) without encryption: "
            f"{', '.join(insecure_listeners(resource))}")
