"""OpenSearch domains must publish audit logs to CloudWatch Logs (FSBP Opensearch.5)."""

from posture_opensearch import publishes_logs
from typing import Any


def policy(resource: Any) -> bool:
    return publishes_logs(resource, "AUDIT_LOGS")


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has no audit logging"
