"""OpenSearch domains must publish their error (application) logs to CloudWatch Logs (FSBP Opensearch.4)."""

from posture_opensearch import publishes_logs
from typing import Any


def policy(resource: Any) -> bool:
    return publishes_logs(resource, "ES_APPLICATION_LOGS")


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] does not publish error logs"
