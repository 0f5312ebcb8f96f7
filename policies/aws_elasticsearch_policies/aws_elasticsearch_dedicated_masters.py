"""Elasticsearch-engine domains must have at least three dedicated master nodes (FSBP ES.7).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import is_elasticsearch, three_dedicated_masters
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or three_dedicated_masters(resource)


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] has fewer than three dedicated master nodes"
