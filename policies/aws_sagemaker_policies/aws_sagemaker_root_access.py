"""SageMaker notebook instance users must not have root access (FSBP SageMaker.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("RootAccess") == "Disabled"


def title(resource: Any) -> str:
    return f"SageMaker notebook instance [{resource.get('Name')}] gives users root access"
