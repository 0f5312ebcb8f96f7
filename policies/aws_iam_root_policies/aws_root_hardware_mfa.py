"""The root user's MFA must be a hardware device, not a virtual one (CIS 1.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    report = resource.get("CredentialReport")
    if report is None:
        return True  # no root row in the report (emulators): nothing to judge
    # MfaActive with no virtual device assigned to the root means a hardware (or FIDO) device.
    return report.get("MfaActive") is True and resource.get("VirtualMFA") is None


def title(resource: Any) -> str:
    if resource.get("VirtualMFA") is not None:
        return f"Root user of account [{resource.get('AccountId')}] uses a virtual MFA device"
    return f"Root user of account [{resource.get('AccountId')}] has no MFA device"
