"""ECR repositories must make image tags immutable (FSBP ECR.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return str(resource.get("ImageTagMutability") or "").startswith("IMMUTABLE")


def title(resource: Any) -> str:
    return f"ECR repository [{resource.get('RepositoryName')}] allows image tags to be overwritten"
