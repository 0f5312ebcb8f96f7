"""Reading the account password policy (AWS.PasswordPolicy), shared by the password-policy controls.

Importable as `posture_password_policy`. A resource with `AnyExist` false means the account has no
password policy: IAM then requires no character class and accepts 8-character passwords.
"""

from typing import Any

# Each character class a password policy can require: the resource key and how a title names it.
CHARACTER_CLASSES: dict[str, str] = {
    "RequireUppercaseCharacters": "an uppercase letter",
    "RequireLowercaseCharacters": "a lowercase letter",
    "RequireSymbols": "a symbol",
    "RequireNumbers": "a number",
}

# Security Hub's default parameters for IAM.7 (strong configuration): every character class and
# at least 8 characters.
STRONG_MINIMUM_LENGTH = 8


def requires(resource: Any, key: str) -> bool:
    """True when the account has a password policy that requires the character class `key`."""
    if key not in CHARACTER_CLASSES:
        raise KeyError(f"not a character-class setting of AWS.PasswordPolicy: {key}")
    return bool(resource.get("AnyExist")) and resource.get(key) is True


def requirement_title(resource: Any, key: str) -> str:
    """The failure title of a character-class control."""
    account = resource.get("AccountId")
    if not resource.get("AnyExist"):
        return f"AWS account [{account}] has no IAM password policy"
    return f"AWS account [{account}] does not require IAM passwords to contain {CHARACTER_CLASSES[key]}"


def strong_configuration_gaps(resource: Any) -> list[str]:
    """What the account's password policy lacks against IAM.7's strong configuration ([] when none)."""
    if not resource.get("AnyExist"):
        return ["a password policy"]
    gaps = [f"requiring {label}" for key, label in CHARACTER_CLASSES.items() if resource.get(key) is not True]
    length = resource.get("MinimumPasswordLength")
    if not isinstance(length, int) or length < STRONG_MINIMUM_LENGTH:
        gaps.append(f"a minimum length of {STRONG_MINIMUM_LENGTH}")
    return gaps
