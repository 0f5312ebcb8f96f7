"""EKS cluster API endpoints must not be publicly accessible (FSBP EKS.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    vpc_config = resource.get("ResourcesVpcConfig") or {}
    return vpc_config.get("EndpointPublicAccess") is False


def title(resource: Any) -> str:
    return f"EKS cluster [{resource.get('Name')}] has a publicly accessible API endpoint"
