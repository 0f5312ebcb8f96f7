"""ActiveMQ brokers must stream audit logs to CloudWatch Logs (FSBP MQ.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("EngineType") != "ACTIVEMQ":
        return True  # RabbitMQ brokers have no audit log
    return bool((resource.get("Logs") or {}).get("Audit"))


def title(resource: Any) -> str:
    return f"Amazon MQ broker [{resource.get('Name')}] does not publish audit logs"
