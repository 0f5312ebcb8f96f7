"""Every IAM user should have an MFA device (FSBP IAM.19)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("CredentialReport") or {}).get("MfaActive") is True


def title(resource: Any) -> str:
    return f"IAM user [{resource.get('UserName')}] has no active MFA device"
