"""Every stage of a REST or WebSocket API must log execution at ERROR or INFO level (FSBP APIGateway.1)."""

from typing import Any


LEVELS = ("ERROR", "INFO")


def policy(resource: Any) -> bool:
    stages = resource.get("Stages") or []
    if resource.get("ResourceType") == "AWS.ApiGatewayV2.Api":
        if resource.get("ProtocolType") != "WEBSOCKET":
            return True  # HTTP APIs have access logs, no execution logs (APIGateway.9)
        return all(((s.get("DefaultRouteSettings") or {}).get("LoggingLevel") in LEVELS) for s in stages)
    return all((((s.get("MethodSettings") or {}).get("*/*") or {}).get("LoggingLevel") in LEVELS) for s in stages)


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] has a stage without execution logging"
