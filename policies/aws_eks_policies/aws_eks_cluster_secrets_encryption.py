"""EKS clusters must envelope-encrypt Kubernetes Secrets with a KMS key (FSBP EKS.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return any("secrets" in (config.get("Resources") or [])
               and (config.get("Provider") or {}).get("KeyArn")
               for config in resource.get("EncryptionConfig") or [])


def title(resource: Any) -> str:
    return f"EKS cluster [{resource.get('Name')}] does not encrypt Kubernetes Secrets with KMS"
