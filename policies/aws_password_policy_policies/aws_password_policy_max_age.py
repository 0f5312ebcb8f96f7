"""The account password policy must exist and expire passwords within 90 days."""

from typing import Any

MAX_PASSWORD_AGE_DAYS = 90


def problem(resource: Any) -> str | None:
    if not resource.get("AnyExist"):
        return "has no IAM password policy"
    max_age = resource.get("MaxPasswordAge")
    if resource.get("ExpirePasswords") is False or not max_age:
        return "has a password policy that never expires passwords"
    if max_age > MAX_PASSWORD_AGE_DAYS:
        return f"expires passwords after {max_age} days (more than {MAX_PASSWORD_AGE_DAYS})"
    return None


def policy(resource: Any) -> bool:
    return problem(resource) is None


def title(resource: Any) -> str:
    return f"AWS account [{resource.get('AccountId')}] {problem(resource)}"
