"""The account must have AWS Config recorders, one of them recording global IAM types (CIS 3.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("Recorders")) and (resource.get("GlobalRecorderCount") or 0) >= 1


def title(resource: Any) -> str:
    if not resource.get("Recorders"):
        return f"AWS account [{resource.get('AccountId')}] has no AWS Config recorder"
    return (f"No AWS Config recorder of account [{resource.get('AccountId')}] records global "
            "IAM resource types")
