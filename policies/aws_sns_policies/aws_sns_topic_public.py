"""SNS topic access policies must not let anyone use the topic (SNS.4)."""

from typing import Any

from posture_resource_policy import public_statements


def policy(resource: Any) -> bool:
    return not public_statements(resource.get("Policy"))


def title(resource: Any) -> str:
    return f"SNS topic [{resource.get('Name')}] in [{resource.get('Region')}] is open to any principal"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"statements": public_statements(resource.get("Policy"))}
