"""EKS clusters must run a Kubernetes version still in EKS standard support (FSBP EKS.2).

Security Hub moves its oldest-supported-version parameter as versions leave standard support, so
a version in (paid) extended support fails. The dates are the end of standard support from the
Amazon EKS Kubernetes release calendar; extend the table as EKS releases versions. A version older
than the table left standard support before it starts and fails; one newer than the table passes.
"""

from datetime import datetime, timezone
from typing import Any

END_OF_STANDARD_SUPPORT = {
    (1, 28): "2024-11-26",
    (1, 29): "2025-03-23",
    (1, 30): "2025-07-23",
    (1, 31): "2025-11-26",
    (1, 32): "2026-03-23",
    (1, 33): "2026-07-29",
    (1, 34): "2026-12-02",
    (1, 35): "2027-03-27",
}


def current_time() -> str:
    """Now, RFC 3339. A module function so spec tests can pin the clock with Mocks."""
    return datetime.now(timezone.utc).isoformat()


def minor_version(resource: Any) -> tuple[int, int] | None:
    parts = str(resource.get("Version") or "").split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return int(parts[0]), int(parts[1])


def policy(resource: Any) -> bool:
    version = minor_version(resource)
    if version is None:
        return True  # no version reported: nothing to judge
    if version < min(END_OF_STANDARD_SUPPORT):
        return False
    ends = END_OF_STANDARD_SUPPORT.get(version)
    if ends is None:
        return True  # newer than the table
    today = datetime.fromisoformat(current_time().replace("Z", "+00:00")).date().isoformat()
    return today < ends


def title(resource: Any) -> str:
    return (f"EKS cluster [{resource.get('Name')}] runs Kubernetes {resource.get('Version')}, "
            "which is out of EKS standard support")
