"""OpenSearch domains must have at least three dedicated master (primary) nodes (FSBP Opensearch.11)."""

from typing import Any


def policy(resource: Any) -> bool:
    cluster = resource.get("ClusterConfig") or {}
    return bool(cluster.get("DedicatedMasterEnabled")) and (cluster.get("DedicatedMasterCount") or 0) >= 3


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has fewer than three dedicated master nodes"
