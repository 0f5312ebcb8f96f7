"""Lambda functions should run attached to a VPC (FSBP Lambda.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(((resource.get("VpcConfig") or {}).get("SubnetIds")))


def title(resource: Any) -> str:
    return f"Lambda function [{resource.get('FunctionName')}] is not connected to a VPC"
