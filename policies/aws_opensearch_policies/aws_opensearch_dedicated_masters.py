"""OpenSearch domains must have at least three dedicated master (primary) nodes (FSBP Opensearch.11)."""

from posture_opensearch import three_dedicated_masters
from typing import Any


def policy(resource: Any) -> bool:
    return three_dedicated_masters(resource)


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has fewer than three dedicated master nodes"
