"""Cognito user pools whose users sign in with a password only must have MFA on (FSBP Cognito.5).

Password-only means the sign-in policy allows PASSWORD as the only first factor, or sets none (a
pool without a sign-in policy signs in with passwords). Pools that also offer passwordless first
factors (email or SMS one-time codes, passkeys) are out of scope, as AWS scopes the control.
MFA counts as enabled when it is required (ON) or offered (OPTIONAL); OFF fails.
"""

from typing import Any


def password_only(resource: Any) -> bool:
    sign_in = (resource.get("Policies") or {}).get("SignInPolicy") or {}
    factors = sign_in.get("AllowedFirstAuthFactors") or ["PASSWORD"]
    return set(factors) == {"PASSWORD"}


def policy(resource: Any) -> bool:
    if not password_only(resource):
        return True
    return resource.get("MfaConfiguration") in ("ON", "OPTIONAL")


def title(resource: Any) -> str:
    return f"Cognito user pool [{resource.get('Name')}] in [{resource.get('Region')}] signs users in with a password and no MFA"
