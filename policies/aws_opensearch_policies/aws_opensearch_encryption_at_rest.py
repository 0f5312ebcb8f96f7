"""OpenSearch domains must encrypt their data and indexes at rest (FSBP Opensearch.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    options = resource.get("EncryptionAtRestOptions") or {}
    return bool(options.get("Enabled"))


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] is not encrypted at rest"
