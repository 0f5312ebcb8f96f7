"""OpenSearch domains must encrypt their data and indexes at rest (FSBP Opensearch.1)."""

from posture_opensearch import encrypted_at_rest
from typing import Any


def policy(resource: Any) -> bool:
    return encrypted_at_rest(resource)


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] is not encrypted at rest"
