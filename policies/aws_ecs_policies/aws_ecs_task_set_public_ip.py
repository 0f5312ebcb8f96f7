"""ECS task sets must not assign public IP addresses to their tasks (FSBP ECS.16).

Judged on the cluster resource, which carries its services and their task sets.
"""

from typing import Any


def public_task_sets(resource: Any) -> list[str]:
    """"SERVICE/TASK_SET_ID" for task sets whose awsvpc configuration assigns public IPs."""
    found: list[str] = []
    for service in resource.get("Services") or []:
        for task_set in service.get("TaskSets") or []:
            network = (task_set.get("NetworkConfiguration") or {}).get("AwsvpcConfiguration") or {}
            if network.get("AssignPublicIp") == "ENABLED":
                found.append(f"{service.get('ServiceName')}/{task_set.get('Id')}")
    return found


def policy(resource: Any) -> bool:
    return not public_task_sets(resource)


def title(resource: Any) -> str:
    return (f"ECS cluster [{resource.get('ClusterName')}] task set(s) {', '.join(public_task_sets(resource))} "
            f"assign public IPs to tasks")
