"""ECR repositories must have a lifecycle policy (FSBP ECR.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("LifecyclePolicy") is not None


def title(resource: Any) -> str:
    return f"ECR repository [{resource.get('RepositoryName')}] keeps every image forever"
