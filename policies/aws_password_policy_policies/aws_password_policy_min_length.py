"""The account password policy must require passwords of at least 14 characters (CIS 1.8)."""

from typing import Any

MIN_LENGTH = 14


def policy(resource: Any) -> bool:
    length = resource.get("MinimumPasswordLength")
    # No policy at all (AnyExist false) leaves IAM's default of 8 characters.
    return bool(resource.get("AnyExist")) and isinstance(length, int) and length >= MIN_LENGTH


def title(resource: Any) -> str:
    if not resource.get("AnyExist"):
        return f"AWS account [{resource.get('AccountId')}] has no IAM password policy"
    return (f"AWS account [{resource.get('AccountId')}] allows IAM passwords of "
            f"{resource.get('MinimumPasswordLength')} characters (fewer than {MIN_LENGTH})")
