"""Custom EventBridge event buses must have a resource-based policy attached (FSBP EventBridge.3).

Only custom buses are in scope: the account's `default` bus and partner buses (`aws.partner/...`,
created for a SaaS event source) pass.
"""

from typing import Any

PARTNER_PREFIX = "aws.partner/"


def is_custom_bus(resource: Any) -> bool:
    name = str(resource.get("Name") or "")
    return name != "default" and not name.startswith(PARTNER_PREFIX)


def policy(resource: Any) -> bool:
    return not is_custom_bus(resource) or bool(resource.get("Policy"))


def title(resource: Any) -> str:
    return f"EventBridge custom event bus [{resource.get('Name')}] in [{resource.get('Region')}] has no resource-based policy"
