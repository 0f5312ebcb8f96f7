"""OpenSearch domains must publish their error (application) logs to CloudWatch Logs (FSBP Opensearch.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    logs = (resource.get("LogPublishingOptions") or {}).get("ES_APPLICATION_LOGS") or {}
    return bool(logs.get("Enabled") and logs.get("CloudWatchLogsLogGroupArn"))


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] does not publish error logs"
