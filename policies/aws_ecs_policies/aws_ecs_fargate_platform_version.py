"""ECS Fargate services must run on the latest Fargate platform version (FSBP ECS.10).

Judged on the cluster resource, which carries its services; non-Fargate services are out of scope.
"""

from typing import Any

LATEST = {"LINUX": "1.4.0", "WINDOWS": "1.0.0"}


def _fargate(service: Any) -> bool:
    providers = {str(item.get("capacityProvider") or item.get("CapacityProvider"))
                 for item in service.get("CapacityProviderStrategy") or []}
    return service.get("LaunchType") == "FARGATE" or bool(providers & {"FARGATE", "FARGATE_SPOT"})


def outdated_services(resource: Any) -> list[str]:
    """"NAME (VERSION)" for Fargate services pinned below the latest platform version."""
    found: list[str] = []
    for service in resource.get("Services") or []:
        version = service.get("PlatformVersion") or "LATEST"  # unset means LATEST
        family = "WINDOWS" if str(service.get("PlatformFamily") or "").startswith("WINDOWS") else "LINUX"
        if _fargate(service) and version not in ("LATEST", LATEST[family]):
            found.append(f"{service.get('ServiceName')} ({version})")
    return found


def policy(resource: Any) -> bool:
    return not outdated_services(resource)


def title(resource: Any) -> str:
    return (f"ECS cluster [{resource.get('ClusterName')}] Fargate service(s) on an old platform version: "
            f"{', '.join(outdated_services(resource))}")
