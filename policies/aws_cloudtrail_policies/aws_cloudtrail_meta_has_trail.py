"""An account should be logged by at least one CloudTrail trail (FSBP CloudTrail.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("Trails"))


def title(resource: Any) -> str:
    return f"Account [{resource.get('AccountId')}] has no CloudTrail trail"
