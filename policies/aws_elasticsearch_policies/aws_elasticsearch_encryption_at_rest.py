"""Elasticsearch-engine domains must encrypt their data and indexes at rest (FSBP ES.1).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import encrypted_at_rest, is_elasticsearch
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or encrypted_at_rest(resource)


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] is not encrypted at rest"
