"""Elasticsearch-engine domains must publish audit logs to CloudWatch Logs (FSBP ES.5).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import is_elasticsearch, publishes_logs
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or publishes_logs(resource, "AUDIT_LOGS")


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] has no audit logging"
