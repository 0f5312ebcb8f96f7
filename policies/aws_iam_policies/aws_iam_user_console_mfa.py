"""IAM users that can sign in to the console must have an MFA device (CIS 1.10)."""

from typing import Any


def policy(resource: Any) -> bool:
    report = resource.get("CredentialReport")
    if not report:
        return True  # not in the credential report yet: nothing to judge until the next scan
    # MfaActive covers virtual and hardware devices alike (VirtualMFA lists virtual ones only).
    return report.get("PasswordEnabled") is not True or report.get("MfaActive") is True


def title(resource: Any) -> str:
    return f"IAM user [{resource.get('UserName')}] has a console password but no MFA device"


def alert_context(resource: Any) -> dict[str, Any]:
    report = resource.get("CredentialReport") or {}
    return {"userName": resource.get("UserName"),
            "passwordLastUsed": report.get("PasswordLastUsed"),
            "passwordLastChanged": report.get("PasswordLastChanged")}
