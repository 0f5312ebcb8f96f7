"""IAM user passwords and access keys unused for 90 days or more should be removed (FSBP IAM.8)."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp
from posture_iam import unused_credentials as idle_credentials

MAX_UNUSED = timedelta(days=90)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def unused_credentials(resource: Any) -> list[dict[str, Any]]:
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    return idle_credentials(resource, now, MAX_UNUSED)


def policy(resource: Any) -> bool:
    return not unused_credentials(resource)


def title(resource: Any) -> str:
    names = ", ".join(c["credential"] for c in unused_credentials(resource))
    return f"IAM user [{resource.get('UserName')}] has {names} unused for 90 days or more"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("UserName"), "unused": unused_credentials(resource)}
