"""EBS volumes attached to an instance must be encrypted at rest (FSBP EC2.3).

Unattached (available) volumes are out of the control's scope and pass.
"""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("State") != "in-use":
        return True
    return resource.get("Encrypted") is True


def title(resource: Any) -> str:
    instances = ", ".join(str(attachment.get("InstanceId"))
                          for attachment in resource.get("Attachments") or [])
    return f"EBS volume [{resource.get('VolumeId')}] attached to {instances} is not encrypted"
