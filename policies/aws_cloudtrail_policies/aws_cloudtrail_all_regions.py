"""A multi-region trail must be logging every management event, read and write (CIS 3.1)."""

from typing import Any

from posture_cloudtrail import logs_all_management_events


def policy(resource: Any) -> bool:
    return logs_all_management_events(resource)


def title(resource: Any) -> str:
    return (f"AWS account [{resource.get('AccountId')}] has no logging multi-region CloudTrail "
            "trail recording all management events")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"trails": resource.get("Trails")}
