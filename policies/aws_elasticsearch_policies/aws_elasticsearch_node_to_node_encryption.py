"""Elasticsearch-engine domains must encrypt the traffic between their nodes (FSBP ES.3).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import is_elasticsearch, node_to_node_encrypted
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or node_to_node_encrypted(resource)


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] sends unencrypted traffic between its nodes"
