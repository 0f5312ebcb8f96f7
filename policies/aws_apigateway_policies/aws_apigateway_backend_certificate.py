"""Every REST API stage must present an SSL client certificate to its backends (FSBP APIGateway.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all(s.get("ClientCertificateId") for s in resource.get("Stages") or [])


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] has a stage without a backend client certificate"
