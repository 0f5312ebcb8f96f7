"""OpenSearch domains must publish audit logs to CloudWatch Logs (FSBP Opensearch.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    logs = (resource.get("LogPublishingOptions") or {}).get("AUDIT_LOGS") or {}
    return bool(logs.get("Enabled") and logs.get("CloudWatchLogsLogGroupArn"))


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has no audit logging"
