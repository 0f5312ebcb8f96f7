"""SageMaker notebook instances must be launched in a VPC of the account (FSBP SageMaker.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("SubnetId"))


def title(resource: Any) -> str:
    return f"SageMaker notebook instance [{resource.get('Name')}] is not in a VPC"
