"""Application Load Balancer HTTP listeners must redirect to HTTPS (FSBP ELB.1).

Judges each HTTP listener's default action; listener rules are not in the resource model.
"""

from typing import Any


def _redirects_to_https(listener: Any) -> bool:
    actions = listener.get("DefaultActions") or []
    return bool(actions) and all(
        action.get("Type") == "redirect"
        and str((action.get("RedirectConfig") or {}).get("Protocol")).upper() == "HTTPS"
        for action in actions)


def clear_text_ports(resource: Any) -> list[int]:
    """The ports of HTTP listeners whose default action does not redirect to HTTPS."""
    return [listener.get("Port") for listener in resource.get("Listeners") or []
            if listener.get("Protocol") == "HTTP" and not _redirects_to_https(listener)]


def policy(resource: Any) -> bool:
    return not clear_text_ports(resource)


def title(resource: Any) -> str:
    ports = ", ".join(str(port) for port in clear_text_ports(resource))
    return (f"Application Load Balancer [{resource.get('LoadBalancerName')}] serves HTTP "
            f"without redirecting to HTTPS (port {ports})")
