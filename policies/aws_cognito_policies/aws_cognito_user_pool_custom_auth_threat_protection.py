"""Cognito user pools must enforce threat protection for custom authentication too (FSBP Cognito.4):
AdvancedSecurityMode ENFORCED and AdvancedSecurityAdditionalFlows.CustomAuthMode ENFORCED."""

from typing import Any


def policy(resource: Any) -> bool:
    add_ons = resource.get("UserPoolAddOns") or {}
    custom = add_ons.get("AdvancedSecurityAdditionalFlows") or {}
    return add_ons.get("AdvancedSecurityMode") == "ENFORCED" and custom.get("CustomAuthMode") == "ENFORCED"


def title(resource: Any) -> str:
    return (f"Cognito user pool [{resource.get('Name')}] in [{resource.get('Region')}] does not enforce "
            "threat protection for custom authentication")
