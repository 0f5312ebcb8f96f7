"""EC2 launch templates must require IMDSv2 (FSBP EC2.170)."""

from typing import Any


def policy(resource: Any) -> bool:
    data = (resource.get("DefaultVersion") or {}).get("LaunchTemplateData") or {}
    options = data.get("MetadataOptions") or {}
    return options.get("HttpTokens") == "required" or options.get("HttpEndpoint") == "disabled"


def title(resource: Any) -> str:
    return f"Launch template [{resource.get('LaunchTemplateName')}] launches instances that accept IMDSv1"
