"""WAFv2 web ACLs should log the requests they inspect (FSBP WAF.11)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool((resource.get("LoggingConfiguration") or {}).get("LogDestinationConfigs"))


def title(resource: Any) -> str:
    return f"WAF web ACL [{resource.get('Name')}] in [{resource.get('Region')}] does not log requests"
