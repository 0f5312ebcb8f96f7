"""OpenSearch domains must encrypt the traffic between their nodes with TLS (FSBP Opensearch.3)."""

from posture_opensearch import node_to_node_encrypted
from typing import Any


def policy(resource: Any) -> bool:
    return node_to_node_encrypted(resource)


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] sends unencrypted traffic between its nodes"
