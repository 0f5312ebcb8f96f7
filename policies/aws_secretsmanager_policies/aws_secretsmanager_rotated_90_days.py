"""Secrets must have been rotated within the last 90 days (SecretsManager.4)."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp

MAX_AGE = timedelta(days=90)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def policy(resource: Any) -> bool:
    if resource.get("OwningService"):
        return True  # rotated by the owning service
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    # Never rotated: the value dates from creation.
    since = parse_timestamp(resource.get("LastRotatedDate")) or parse_timestamp(resource.get("CreatedDate"))
    return since is not None and now - since <= MAX_AGE


def title(resource: Any) -> str:
    return f"Secret [{resource.get('Name')}] in [{resource.get('Region')}] was not rotated in 90 days"
