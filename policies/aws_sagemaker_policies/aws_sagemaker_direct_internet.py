"""SageMaker notebook instances must not have direct internet access (FSBP SageMaker.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("DirectInternetAccess") == "Disabled"


def title(resource: Any) -> str:
    return f"SageMaker notebook instance [{resource.get('Name')}] has direct internet access"
