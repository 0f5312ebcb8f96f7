"""EMR clusters must run with a security configuration that encrypts data at rest (FSBP EMR.3, judged on the cluster)."""

from typing import Any

from posture_emr import encryption_configuration


def policy(resource: Any) -> bool:
    return encryption_configuration(resource).get("EnableAtRestEncryption") is True


def title(resource: Any) -> str:
    return f"EMR cluster [{resource.get('Name')}] does not encrypt data at rest"
