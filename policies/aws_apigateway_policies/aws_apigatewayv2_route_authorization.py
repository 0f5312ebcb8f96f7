"""Every route of an HTTP or WebSocket API must specify an authorization type (FSBP APIGateway.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all((r.get("AuthorizationType") or "NONE") != "NONE" for r in resource.get("Routes") or [])


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] has a route anyone can call"
