"""Elasticsearch-engine domains must publish their error logs to CloudWatch Logs (FSBP ES.4).

Domains on the OpenSearch engine are out of scope (Security Hub judges them under Opensearch.*)
and pass.
"""

from posture_opensearch import is_elasticsearch, publishes_logs
from typing import Any


def policy(resource: Any) -> bool:
    return not is_elasticsearch(resource) or publishes_logs(resource, "ES_APPLICATION_LOGS")


def title(resource: Any) -> str:
    return f"Elasticsearch domain [{resource.get('DomainName')}] does not publish error logs"
