"""SQS queue access policies must not let anyone use the queue (SQS.3)."""

from typing import Any

from posture_resource_policy import public_statements


def policy(resource: Any) -> bool:
    return not public_statements(resource.get("Policy"))


def title(resource: Any) -> str:
    return f"SQS queue [{resource.get('Name')}] in [{resource.get('Region')}] is open to any principal"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"statements": public_statements(resource.get("Policy"))}
