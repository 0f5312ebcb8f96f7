"""Elasticsearch-engine domains must run inside a VPC, not on a public endpoint (FSBP ES.2).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import in_vpc, is_elasticsearch
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or in_vpc(resource)


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] has a public endpoint"
