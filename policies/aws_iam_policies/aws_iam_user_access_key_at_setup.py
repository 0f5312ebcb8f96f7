"""Console users should not have access keys created with them and never used (CIS 1.11).

The credential report cannot say when a key was created relative to the user, so this flags
what the CIS audit looks for: a user with a console password and an active access key that has
never been used.
"""

from typing import Any

from panther import parse_timestamp


def unused_keys(resource: Any) -> list[int]:
    report = resource.get("CredentialReport")
    if not report or report.get("PasswordEnabled") is not True:
        return []
    # A never-used key reports N/A, which the scanner stores as 0001-01-01 (parsed as None).
    return [number for number in (1, 2)
            if report.get(f"AccessKey{number}Active") is True
            and parse_timestamp(report.get(f"AccessKey{number}LastUsedDate")) is None]


def policy(resource: Any) -> bool:
    return not unused_keys(resource)


def title(resource: Any) -> str:
    keys = " and ".join(str(k) for k in unused_keys(resource))
    return (f"IAM user [{resource.get('UserName')}] has a console password and never-used "
            f"access key {keys}")
