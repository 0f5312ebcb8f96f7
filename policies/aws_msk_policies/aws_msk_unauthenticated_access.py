"""MSK clusters must not accept unauthenticated clients (FSBP MSK.6).

A provisioned cluster fails when unauthenticated access is on, or when none of IAM, SASL/SCRAM
and mutual TLS authentication is (clients then connect without credentials). Serverless clusters
always authenticate clients with IAM.
"""

from typing import Any

from panther import deep_get


AUTHENTICATION_METHODS = (("Sasl", "Iam"), ("Sasl", "Scram"), ("Tls",))


def problem(resource: Any) -> str | None:
    if resource.get("Provisioned") is None:
        return None  # serverless: IAM only
    auth = deep_get(resource, "Provisioned", "ClientAuthentication") or {}
    if deep_get(auth, "Unauthenticated", "Enabled") is True:
        return "accepts unauthenticated clients"
    if not any(deep_get(auth, *path, "Enabled") is True for path in AUTHENTICATION_METHODS):
        return "has no client authentication method"
    return None


def policy(resource: Any) -> bool:
    return problem(resource) is None


def title(resource: Any) -> str:
    return f"MSK cluster [{resource.get('Name')}] {problem(resource)}"
