"""OpenSearch domains must require HTTPS with the latest TLS security policy (FSBP Opensearch.8)."""

from typing import Any


LATEST_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10"


def policy(resource: Any) -> bool:
    endpoint = resource.get("DomainEndpointOptions") or {}
    return bool(endpoint.get("EnforceHTTPS")) and endpoint.get("TLSSecurityPolicy") == LATEST_TLS_POLICY


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] does not require the latest TLS policy"
