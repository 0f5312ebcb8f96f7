"""OpenSearch domains must have the latest service software update installed (FSBP Opensearch.10)."""

from typing import Any


def policy(resource: Any) -> bool:
    software = resource.get("ServiceSoftwareOptions") or {}
    return not software.get("UpdateAvailable")


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has a service software update waiting"
