"""OpenSearch domains must require HTTPS with the latest TLS security policy (FSBP Opensearch.8)."""

from posture_opensearch import latest_tls_required
from typing import Any


def policy(resource: Any) -> bool:
    return latest_tls_required(resource)


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] does not require the latest TLS policy"
