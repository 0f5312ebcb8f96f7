"""ActiveMQ brokers must use the active/standby deployment mode (FSBP MQ.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("EngineType") != "ACTIVEMQ":
        return True
    return resource.get("DeploymentMode") == "ACTIVE_STANDBY_MULTI_AZ"


def title(resource: Any) -> str:
    return f"Amazon MQ broker [{resource.get('Name')}] runs as a single ActiveMQ instance"
