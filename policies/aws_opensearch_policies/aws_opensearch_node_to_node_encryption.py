"""OpenSearch domains must encrypt the traffic between their nodes with TLS (FSBP Opensearch.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    options = resource.get("NodeToNodeEncryptionOptions") or {}
    return bool(options.get("Enabled"))


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] sends unencrypted traffic between its nodes"
