"""OpenSearch domains must have at least three data nodes with zone awareness (FSBP Opensearch.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    cluster = resource.get("ClusterConfig") or {}
    return bool(cluster.get("ZoneAwarenessEnabled")) and (cluster.get("InstanceCount") or 0) >= 3


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has fewer than three zone-aware data nodes"
