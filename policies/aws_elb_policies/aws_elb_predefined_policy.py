"""Classic Load Balancer HTTPS/SSL listeners must follow a strong predefined security policy (FSBP ELB.8)."""

from typing import Any


STRONG = ("ELBSecurityPolicy-TLS-1-2-2017-01",)


def policy(resource: Any) -> bool:
    by_name = {p.get("PolicyName"): p for p in resource.get("PolicyDescriptions") or []}
    for description in resource.get("ListenerDescriptions") or []:
        if ((description.get("Listener") or {}).get("Protocol") or "").upper() not in ("HTTPS", "SSL"):
            continue
        references = [
            a.get("AttributeValue")
            for name in description.get("PolicyNames") or []
            if (by_name.get(name) or {}).get("PolicyTypeName") == "SSLNegotiationPolicyType"
            for a in by_name[name].get("PolicyAttributeDescriptions") or []
            if a.get("AttributeName") == "Reference-Security-Policy"
        ]
        if not any(r in STRONG for r in references):
            return False
    return True


def title(resource: Any) -> str:
    return f"Classic load balancer [{resource.get('LoadBalancerName')}] negotiates TLS with a weak or custom policy"
