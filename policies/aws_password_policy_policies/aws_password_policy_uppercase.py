"""The account password policy must require an uppercase letter in IAM passwords (FSBP IAM.11, CIS
1.2.0 1.5)."""

from typing import Any

import posture_password_policy

SETTING = "RequireUppercaseCharacters"


def policy(resource: Any) -> bool:
    return posture_password_policy.requires(resource, SETTING)


def title(resource: Any) -> str:
    return posture_password_policy.requirement_title(resource, SETTING)
