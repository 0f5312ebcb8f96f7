"""The account password policy must require a non-alphanumeric character in IAM passwords (FSBP
IAM.13, CIS 1.2.0 1.7)."""

from typing import Any

import posture_password_policy

SETTING = "RequireSymbols"


def policy(resource: Any) -> bool:
    return posture_password_policy.requires(resource, SETTING)


def title(resource: Any) -> str:
    return posture_password_policy.requirement_title(resource, SETTING)
