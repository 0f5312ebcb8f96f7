"""Cognito user pools must enforce threat protection for standard authentication (Cognito.1):
AdvancedSecurityMode ENFORCED (full function), not AUDIT or OFF."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode") == "ENFORCED"


def title(resource: Any) -> str:
    return f"Cognito user pool [{resource.get('Name')}] in [{resource.get('Region')}] does not enforce threat protection"
