"""Every REST API stage must trace requests with AWS X-Ray (FSBP APIGateway.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all(s.get("TracingEnabled") is True for s in resource.get("Stages") or [])


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] has a stage without X-Ray tracing"
