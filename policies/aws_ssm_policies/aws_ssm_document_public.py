"""SSM documents owned by the account must not be shared publicly (SSM.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return "all" not in [str(a).lower() for a in resource.get("AccountIds") or []]


def title(resource: Any) -> str:
    return f"SSM document [{resource.get('Name')}] in [{resource.get('Region')}] is public"
