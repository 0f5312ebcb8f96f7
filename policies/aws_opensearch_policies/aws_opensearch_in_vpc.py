"""OpenSearch domains must run inside a VPC, not on a public endpoint (FSBP Opensearch.2)."""

from posture_opensearch import in_vpc
from typing import Any


def policy(resource: Any) -> bool:
    return in_vpc(resource)


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has a public endpoint"
