"""Auto Scaling groups behind a load balancer must use its health checks (FSBP AutoScaling.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    behind = resource.get("LoadBalancerNames") or resource.get("TargetGroupARNs") or resource.get("TrafficSources")
    if not behind:
        return True  # not behind a load balancer
    return "ELB" in (resource.get("HealthCheckType") or "").split(",")


def title(resource: Any) -> str:
    return f"Auto Scaling group [{resource.get('AutoScalingGroupName')}] does not replace instances its load balancer finds unhealthy"
