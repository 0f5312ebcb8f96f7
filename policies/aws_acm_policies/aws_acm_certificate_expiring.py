"""ACM certificates (imported or issued) should be renewed before their last 30 days (FSBP ACM.1)."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp

RENEW_BEFORE = timedelta(days=30)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def policy(resource: Any) -> bool:
    not_after = parse_timestamp(resource.get("NotAfter"))
    if not_after is None:
        return True  # not issued yet: nothing to renew
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    return not_after - now > RENEW_BEFORE


def title(resource: Any) -> str:
    return f"ACM certificate [{resource.get('DomainName')}] expires on {resource.get('NotAfter')} (within 30 days)"
