"""Active IAM user access keys must have been rotated within the last 90 days."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp

MAX_KEY_AGE = timedelta(days=90)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def stale_keys(resource: Any) -> list[dict[str, Any]]:
    report = resource.get("CredentialReport")
    if not report:
        return []  # no credential report row yet: nothing to judge
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    stale = []
    for number in (1, 2):
        if report.get(f"AccessKey{number}Active") not in (True, "true"):
            continue
        last_rotated = report.get(f"AccessKey{number}LastRotated")
        # A key never rotated has the placeholder date (parsed as None): it dates from creation.
        since = parse_timestamp(last_rotated) or parse_timestamp(report.get("UserCreationTime"))
        if since is None or now - since > MAX_KEY_AGE:
            age = None if since is None else (now - since).days
            stale.append({"key": number, "lastRotated": last_rotated, "ageDays": age})
    return stale


def policy(resource: Any) -> bool:
    return not stale_keys(resource)


def title(resource: Any) -> str:
    keys = " and ".join(f"{k['key']}" for k in stale_keys(resource))
    user = resource.get("Name") or resource.get("ResourceId")
    return f"IAM user [{user}] has active access key {keys} not rotated in 90 days"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("Name"), "staleKeys": stale_keys(resource)}
