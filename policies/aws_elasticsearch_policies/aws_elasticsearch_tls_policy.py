"""Elasticsearch-engine domains must require HTTPS with the latest TLS security policy (FSBP ES.8).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import is_elasticsearch, latest_tls_required
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or latest_tls_required(resource)


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] does not require the latest TLS policy"
