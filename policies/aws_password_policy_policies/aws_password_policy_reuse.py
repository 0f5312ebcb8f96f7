"""The account password policy must prevent reuse of the last 24 passwords (CIS 1.9)."""

from typing import Any

REMEMBERED_PASSWORDS = 24


def policy(resource: Any) -> bool:
    remembered = resource.get("PasswordReusePrevention")
    # Null means reuse is not restricted at all (or there is no policy).
    return (bool(resource.get("AnyExist")) and isinstance(remembered, int)
            and remembered >= REMEMBERED_PASSWORDS)


def title(resource: Any) -> str:
    if not resource.get("AnyExist"):
        return f"AWS account [{resource.get('AccountId')}] has no IAM password policy"
    remembered = resource.get("PasswordReusePrevention")
    allowed = ("any previous password" if remembered is None
               else f"passwords older than the last {remembered}")
    return f"AWS account [{resource.get('AccountId')}] lets IAM users reuse {allowed}"
