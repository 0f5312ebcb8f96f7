"""EMR clusters must run with a security configuration that encrypts data in transit (FSBP EMR.4, judged on the cluster)."""

from typing import Any

from posture_emr import encryption_configuration


def policy(resource: Any) -> bool:
    return encryption_configuration(resource).get("EnableInTransitEncryption") is True


def title(resource: Any) -> str:
    return f"EMR cluster [{resource.get('Name')}] does not encrypt data in transit"
