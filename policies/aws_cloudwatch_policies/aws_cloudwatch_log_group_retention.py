"""CloudWatch log groups should keep their logs for at least 365 days (FSBP CloudWatch.16)."""

from typing import Any

MINIMUM_RETENTION_DAYS = 365


def policy(resource: Any) -> bool:
    days = resource.get("RetentionInDays")
    return days is None or days >= MINIMUM_RETENTION_DAYS  # None: never expire


def title(resource: Any) -> str:
    return f"CloudWatch log group [{resource.get('LogGroupName')}] keeps logs for {resource.get('RetentionInDays')} days (under 365)"
