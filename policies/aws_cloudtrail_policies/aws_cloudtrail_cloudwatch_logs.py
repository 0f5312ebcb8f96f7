"""CloudTrail trails should deliver to CloudWatch Logs (FSBP CloudTrail.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("CloudWatchLogsLogGroupArn"))


def title(resource: Any) -> str:
    return f"CloudTrail trail [{resource.get('Name')}] does not deliver to CloudWatch Logs"
