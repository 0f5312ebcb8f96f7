"""The root user must have MFA enabled (CIS 1.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    report = resource.get("CredentialReport")
    if report is None:
        return True  # no root row in the report (emulators): nothing to judge
    return report.get("MfaActive") is True


def title(resource: Any) -> str:
    return f"Root user of account [{resource.get('AccountId')}] has no MFA device"
