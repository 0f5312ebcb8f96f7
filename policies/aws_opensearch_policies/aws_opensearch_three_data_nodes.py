"""OpenSearch domains must have at least three data nodes with zone awareness (FSBP Opensearch.6)."""

from posture_opensearch import three_zone_aware_data_nodes
from typing import Any


def policy(resource: Any) -> bool:
    return three_zone_aware_data_nodes(resource)


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has fewer than three zone-aware data nodes"
