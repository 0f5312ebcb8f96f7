"""Athena workgroups must publish query metrics to CloudWatch (FSBP Athena.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool((resource.get("Configuration") or {}).get("PublishCloudWatchMetricsEnabled"))


def title(resource: Any) -> str:
    return f"Athena workgroup [{resource.get('Name')}] does not publish query metrics"
