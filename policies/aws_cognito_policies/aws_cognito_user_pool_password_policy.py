"""Cognito user pool password policies must be strong (Cognito.3's defaults): at least 8
characters, upper- and lower-case letters, numbers and symbols required, temporary passwords
valid for at most 7 days."""

from typing import Any

MIN_LENGTH = 8
MAX_TEMPORARY_DAYS = 7


def weaknesses(resource: Any) -> list[str]:
    rules = (resource.get("Policies") or {}).get("PasswordPolicy") or {}
    found = []
    if (rules.get("MinimumLength") or 0) < MIN_LENGTH:
        found.append(f"minimum length {rules.get('MinimumLength')}")
    for key in ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"):
        if rules.get(key) is not True:
            found.append(f"{key} off")
    days = rules.get("TemporaryPasswordValidityDays")
    if days is None or days > MAX_TEMPORARY_DAYS:
        found.append(f"temporary passwords valid {days} days")
    return found


def policy(resource: Any) -> bool:
    return not weaknesses(resource)


def title(resource: Any) -> str:
    return f"Cognito user pool [{resource.get('Name')}] in [{resource.get('Region')}] has a weak password policy: {', '.join(weaknesses(resource))}"
