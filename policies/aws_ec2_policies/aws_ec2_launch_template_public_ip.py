"""EC2 launch templates must not assign public IP addresses to network interfaces (FSBP EC2.25)."""

from typing import Any


def policy(resource: Any) -> bool:
    data = (resource.get("DefaultVersion") or {}).get("LaunchTemplateData") or {}
    return not any(n.get("AssociatePublicIpAddress") is True for n in data.get("NetworkInterfaces") or [])


def title(resource: Any) -> str:
    return f"Launch template [{resource.get('LaunchTemplateName')}] gives its instances public IP addresses"
