"""A secret with automatic rotation must actually have rotated on schedule (SecretsManager.2):
its last rotation is no older than its rotation interval (plus a day of slack)."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp

SLACK = timedelta(days=1)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def policy(resource: Any) -> bool:
    if resource.get("RotationEnabled") is not True:
        return True  # no rotation to succeed: SecretsManager.1 reports that
    days = (resource.get("RotationRules") or {}).get("AutomaticallyAfterDays")
    if not days:
        return True  # a schedule expression: AWS reports its own next date
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    since = parse_timestamp(resource.get("LastRotatedDate")) or parse_timestamp(resource.get("CreatedDate"))
    return since is not None and now - since <= timedelta(days=int(days)) + SLACK


def title(resource: Any) -> str:
    return f"Secret [{resource.get('Name')}] in [{resource.get('Region')}] did not rotate on schedule"
