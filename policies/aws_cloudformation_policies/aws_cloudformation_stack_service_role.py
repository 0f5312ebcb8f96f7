"""CloudFormation stacks should deploy through a service role (FSBP CloudFormation.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("RoleARN"))


def title(resource: Any) -> str:
    return f"CloudFormation stack [{resource.get('StackName')}] has no service role"
