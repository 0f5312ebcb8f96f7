"""AWS Config should record, using its service-linked role (FSBP Config.1)."""

from typing import Any

SERVICE_LINKED_ROLE = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def policy(resource: Any) -> bool:
    recording = (resource.get("Status") or {}).get("Recording") is True
    return recording and str(resource.get("RoleARN") or "").endswith(SERVICE_LINKED_ROLE)


def title(resource: Any) -> str:
    return f"AWS Config recorder [{resource.get('Name')}] in [{resource.get('Region')}] is not recording with the service-linked role"
