"""ECS services must not assign public IP addresses to their tasks (FSBP ECS.2).

Judged on the cluster resource, which carries its services.
"""

from typing import Any


def public_services(resource: Any) -> list[str]:
    """Names of the cluster's services whose awsvpc configuration assigns public IPs."""
    found: list[str] = []
    for service in resource.get("Services") or []:
        network = (service.get("NetworkConfiguration") or {}).get("AwsvpcConfiguration") or {}
        if network.get("AssignPublicIp") == "ENABLED":
            found.append(str(service.get("ServiceName")))
    return found


def policy(resource: Any) -> bool:
    return not public_services(resource)


def title(resource: Any) -> str:
    return (f"ECS cluster [{resource.get('ClusterName')}] service(s) {', '.join(public_services(resource))} "
            f"assign public IPs to tasks")
