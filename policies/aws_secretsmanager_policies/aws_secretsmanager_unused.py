"""Secrets not retrieved for 90 days should be removed (SecretsManager.3)."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp

MAX_UNUSED = timedelta(days=90)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def policy(resource: Any) -> bool:
    if resource.get("DeletedDate"):
        return True  # already scheduled for deletion
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    # Never retrieved: unused since it was created.
    since = parse_timestamp(resource.get("LastAccessedDate")) or parse_timestamp(resource.get("CreatedDate"))
    return since is None or now - since <= MAX_UNUSED


def title(resource: Any) -> str:
    return f"Secret [{resource.get('Name')}] in [{resource.get('Region')}] has not been used for 90 days"
