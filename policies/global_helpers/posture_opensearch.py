"""Reading an OpenSearch Service domain's configuration, shared by the Opensearch.* and ES.* policies.

Importable as `posture_opensearch`. One AWS.OpenSearch.Domain type models every domain, whichever
engine it runs: Security Hub judges the same settings twice, under Opensearch.* for every domain
and under ES.* for domains on the legacy Elasticsearch engine (EngineVersion `Elasticsearch_X.Y`).
Each check here answers for any domain; `is_elasticsearch` scopes the ES.* policies.
"""

from typing import Any

# The newest TLS security policy OpenSearch Service offers (TLS 1.2+ with perfect forward secrecy).
LATEST_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10"


def is_elasticsearch(resource: Any) -> bool:
    """Whether the domain runs the legacy Elasticsearch engine rather than OpenSearch."""
    return str(resource.get("EngineVersion") or "").startswith("Elasticsearch_")


def encrypted_at_rest(resource: Any) -> bool:
    return bool((resource.get("EncryptionAtRestOptions") or {}).get("Enabled"))


def in_vpc(resource: Any) -> bool:
    """A VPC domain has subnets and no public endpoint."""
    return bool((resource.get("VPCOptions") or {}).get("SubnetIds"))


def node_to_node_encrypted(resource: Any) -> bool:
    return bool((resource.get("NodeToNodeEncryptionOptions") or {}).get("Enabled"))


def publishes_logs(resource: Any, log_type: str) -> bool:
    """Whether the domain sends the named log type (e.g. AUDIT_LOGS) to a CloudWatch Logs group."""
    logs = (resource.get("LogPublishingOptions") or {}).get(log_type) or {}
    return bool(logs.get("Enabled") and logs.get("CloudWatchLogsLogGroupArn"))


def three_zone_aware_data_nodes(resource: Any) -> bool:
    cluster = resource.get("ClusterConfig") or {}
    return bool(cluster.get("ZoneAwarenessEnabled")) and (cluster.get("InstanceCount") or 0) >= 3


def three_dedicated_masters(resource: Any) -> bool:
    cluster = resource.get("ClusterConfig") or {}
    return bool(cluster.get("DedicatedMasterEnabled")) and (cluster.get("DedicatedMasterCount") or 0) >= 3


def latest_tls_required(resource: Any) -> bool:
    """HTTPS enforced with the latest TLS security policy."""
    endpoint = resource.get("DomainEndpointOptions") or {}
    return bool(endpoint.get("EnforceHTTPS")) and endpoint.get("TLSSecurityPolicy") == LATEST_TLS_POLICY
