"""RabbitMQ brokers must use the cluster deployment mode (FSBP MQ.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("EngineType") != "RABBITMQ":
        return True
    return resource.get("DeploymentMode") == "CLUSTER_MULTI_AZ"


def title(resource: Any) -> str:
    return f"Amazon MQ broker [{resource.get('Name')}] is a single RabbitMQ instance"
