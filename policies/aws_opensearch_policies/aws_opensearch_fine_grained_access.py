"""OpenSearch domains must have fine-grained access control enabled (FSBP Opensearch.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    options = resource.get("AdvancedSecurityOptions") or {}
    return bool(options.get("Enabled"))


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has no fine-grained access control"
