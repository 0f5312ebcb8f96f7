"""Lambda functions should have X-Ray active tracing on (FSBP Lambda.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    return (resource.get("TracingConfig") or {}).get("Mode") == "Active"


def title(resource: Any) -> str:
    return f"Lambda function [{resource.get('FunctionName')}] does not have X-Ray active tracing on"
