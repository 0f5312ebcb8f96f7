"""An account should have a GuardDuty detector (FSBP GuardDuty.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("Detectors"))


def title(resource: Any) -> str:
    return f"Account [{resource.get('AccountId')}] has no GuardDuty detector"
