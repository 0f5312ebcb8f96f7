"""Stopped EC2 instances should be removed after 30 days (FSBP EC2.4).

The stop time is the date EC2 writes into StateTransitionReason ("User initiated (2026-03-01
09:30:00 GMT)"); a stopped instance whose reason carries no date cannot be aged and passes.
"""

import re
from datetime import datetime, timedelta, timezone
from typing import Any

MAX_STOPPED = timedelta(days=30)
STOP_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) GMT\)")


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def stopped_days(resource: Any) -> int | None:
    """Whole days the instance has been stopped; None when it is not stopped or the date is unknown."""
    if (resource.get("State") or {}).get("Name") != "stopped":
        return None
    match = STOP_DATE.search(str(resource.get("StateTransitionReason") or ""))
    if match is None:
        return None
    since = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    now = datetime.fromisoformat(current_time().replace("Z", "+00:00"))
    return (now - since).days


def policy(resource: Any) -> bool:
    days = stopped_days(resource)
    return days is None or timedelta(days=days) <= MAX_STOPPED


def title(resource: Any) -> str:
    return f"EC2 instance [{resource.get('InstanceId')}] has been stopped for {stopped_days(resource)} days"
