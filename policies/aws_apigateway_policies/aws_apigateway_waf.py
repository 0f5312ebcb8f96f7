"""Every REST API stage must be protected by an AWS WAF web ACL (FSBP APIGateway.4)."""

from typing import Any


def policy(resource: Any) -> bool:
    return all(s.get("WebAclArn") for s in resource.get("Stages") or [])


def title(resource: Any) -> str:
    return f"API [{resource.get('Name')}] has a stage without a WAF web ACL"
