"""The account password policy must require a number in IAM passwords (FSBP IAM.14, CIS 1.2.0 1.8).
"""

from typing import Any

import posture_password_policy

SETTING = "RequireNumbers"


def policy(resource: Any) -> bool:
    return posture_password_policy.requires(resource, SETTING)


def title(resource: Any) -> str:
    return posture_password_policy.requirement_title(resource, SETTING)
