"""The account password policy must require a lowercase letter in IAM passwords (FSBP IAM.12, CIS
1.2.0 1.6)."""

from typing import Any

import posture_password_policy

SETTING = "RequireLowercaseCharacters"


def policy(resource: Any) -> bool:
    return posture_password_policy.requires(resource, SETTING)


def title(resource: Any) -> str:
    return posture_password_policy.requirement_title(resource, SETTING)
