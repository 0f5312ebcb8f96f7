"""IAM user passwords and access keys unused for 45 days or more must be disabled (CIS 1.12)."""

from datetime import datetime, timedelta, timezone
from typing import Any

from panther import parse_timestamp

MAX_UNUSED = timedelta(days=45)


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def _first_time(*values: Any) -> datetime | None:
    """The first value that is a real timestamp (N/A dates are stored as 0001-01-01 → None)."""
    for value in values:
        if (parsed := parse_timestamp(value)) is not None:
            return parsed
    return None


def unused_credentials(resource: Any) -> list[dict[str, Any]]:
    report = resource.get("CredentialReport")
    if not report:
        return []
    now = parse_timestamp(current_time()) or datetime.now(timezone.utc)
    created = report.get("UserCreationTime")
    # A credential never used counts from when it was set: the password's last change, the
    # key's last rotation (for a key never rotated, its creation: the user's at the latest).
    candidates = []
    if report.get("PasswordEnabled") is True:
        candidates.append(("password", _first_time(report.get("PasswordLastUsed"),
                                                   report.get("PasswordLastChanged"), created)))
    for number in (1, 2):
        if report.get(f"AccessKey{number}Active") is True:
            candidates.append((f"access key {number}", _first_time(
                report.get(f"AccessKey{number}LastUsedDate"),
                report.get(f"AccessKey{number}LastRotated"), created)))
    return [{"credential": name, "idleDays": None if since is None else (now - since).days}
            for name, since in candidates if since is None or now - since >= MAX_UNUSED]


def policy(resource: Any) -> bool:
    return not unused_credentials(resource)


def title(resource: Any) -> str:
    names = ", ".join(c["credential"] for c in unused_credentials(resource))
    return f"IAM user [{resource.get('UserName')}] has {names} unused for 45 days or more"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("UserName"), "unused": unused_credentials(resource)}
