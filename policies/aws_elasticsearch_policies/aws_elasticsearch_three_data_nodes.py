"""Elasticsearch-engine domains must have at least three data nodes with zone awareness (FSBP ES.6).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import is_elasticsearch, three_zone_aware_data_nodes
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or three_zone_aware_data_nodes(resource)


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] has fewer than three zone-aware data nodes"
