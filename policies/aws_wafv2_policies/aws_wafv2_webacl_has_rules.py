"""WAFv2 web ACLs should contain at least one rule or rule group (FSBP WAF.10)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("Rules") or resource.get("PreProcessFirewallManagerRuleGroups")
                or resource.get("PostProcessFirewallManagerRuleGroups"))


def title(resource: Any) -> str:
    return f"WAF web ACL [{resource.get('Name')}] in [{resource.get('Region')}] has no rules"
