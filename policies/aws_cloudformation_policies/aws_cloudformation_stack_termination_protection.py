"""CloudFormation stacks should have termination protection on (FSBP CloudFormation.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("ParentId"):
        return True  # nested stacks inherit the protection of their root stack
    return resource.get("EnableTerminationProtection") is True


def title(resource: Any) -> str:
    return f"CloudFormation stack [{resource.get('StackName')}] can be deleted without turning off termination protection"
