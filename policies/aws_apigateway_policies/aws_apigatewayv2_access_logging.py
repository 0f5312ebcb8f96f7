"""Every stage of an HTTP or WebSocket API must write access logs (FSBP APIGateway.9)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all((s.get("AccessLogSettings") or {}).get("DestinationArn") for s in resource.get("Stages") or [])


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] has a stage without access logging"
