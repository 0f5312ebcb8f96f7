"""The account password policy must have a strong configuration (FSBP IAM.7): every character
class required and at least 8 characters, Security Hub's default parameters for the control."""

from typing import Any

import posture_password_policy


def policy(resource: Any) -> bool:
    return not posture_password_policy.strong_configuration_gaps(resource)


def title(resource: Any) -> str:
    gaps = posture_password_policy.strong_configuration_gaps(resource)
    return f"AWS account [{resource.get('AccountId')}] IAM password policy lacks {', '.join(gaps)}"
