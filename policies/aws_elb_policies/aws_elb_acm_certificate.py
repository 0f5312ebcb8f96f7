"""Classic Load Balancers with HTTPS/SSL listeners must use certificates from ACM (FSBP ELB.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    for description in resource.get("ListenerDescriptions") or []:
        listener = description.get("Listener") or {}
        if listener.get("Protocol") in ("HTTPS", "SSL") and ":acm:" not in (listener.get("SSLCertificateId") or ""):
            return False
    return True


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] serves a certificate that ACM does not manage"
