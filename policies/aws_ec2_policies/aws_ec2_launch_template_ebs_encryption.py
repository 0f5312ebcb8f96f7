"""EC2 launch templates must encrypt every EBS volume they define (FSBP EC2.181).

Judged on the default version, the one used when no version is named. As AWS scopes the control,
only the template's own settings count: a volume whose Encrypted is false or left unset fails,
even when account-level encryption by default, the AMI or the snapshot would encrypt it.
Instance-store devices (VirtualName, no Ebs) are out of scope; a template defining no EBS volume
passes.
"""

from typing import Any


def unencrypted_devices(resource: Any) -> list[str]:
    """Device names of the default version's EBS volumes not marked Encrypted."""
    data = (resource.get("DefaultVersion") or {}).get("LaunchTemplateData") or {}
    return [str(mapping.get("DeviceName")) for mapping in data.get("BlockDeviceMappings") or []
            if mapping.get("Ebs") is not None and mapping["Ebs"].get("Encrypted") is not True]


def policy(resource: Any) -> bool:
    return not unencrypted_devices(resource)


def title(resource: Any) -> str:
    return (f"Launch template [{resource.get('LaunchTemplateName')}] defines unencrypted EBS volume(s): "
            f"{', '.join(unencrypted_devices(resource))}")
