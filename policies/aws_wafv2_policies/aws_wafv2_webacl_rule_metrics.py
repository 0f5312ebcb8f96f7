"""WAFv2 web ACLs and their rules should publish CloudWatch metrics (FSBP WAF.12)."""

from typing import Any


def without_metrics(resource: Any) -> list[str]:
    """The web ACL (as "(web ACL)") and rule names whose CloudWatch metrics are off."""
    names = []
    if not (resource.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled"):
        names.append("(web ACL)")
    for rule in resource.get("Rules") or []:
        if not (rule.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled"):
            names.append(str(rule.get("Name")))
    return names


def policy(resource: Any) -> bool:
    return not without_metrics(resource)


def title(resource: Any) -> str:
    return f"WAF web ACL [{resource.get('Name')}] publishes no CloudWatch metrics for {', '.join(without_metrics(resource))}"
